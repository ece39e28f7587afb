"""Pages of comms: the staff /staff/comms/ (and any public pages), included at "" before the OPAC."""
app_name = "comms"
urlpatterns = []
