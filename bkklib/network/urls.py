"""Staff pages of the network app, under /staff/network/."""

app_name = "network"
urlpatterns: list = []
