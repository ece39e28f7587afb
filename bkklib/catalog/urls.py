"""Staff pages of the catalog app, under /staff/catalog/."""

app_name = "catalog"
urlpatterns: list = []
