"""Pages of volunteers: the staff /staff/volunteers/ (and any public pages), included at "" before the OPAC."""
app_name = "volunteers"
urlpatterns = []
