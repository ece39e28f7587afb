"""Staff pages of the circulation app, under /staff/circulation/."""

app_name = "circulation"
urlpatterns: list = []
