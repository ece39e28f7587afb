"""Pages of acquisitions: the staff /staff/acquisitions/ (and any public pages), included at "" before the OPAC."""
app_name = "acquisitions"
urlpatterns = []
