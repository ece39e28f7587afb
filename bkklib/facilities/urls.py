"""Pages of facilities: the staff /staff/facilities/ (and any public pages), included at "" before the OPAC."""
app_name = "facilities"
urlpatterns = []
