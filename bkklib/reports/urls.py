"""Pages of reports: the staff /staff/reports/ (and any public pages), included at "" before the OPAC."""
app_name = "reports"
urlpatterns = []
