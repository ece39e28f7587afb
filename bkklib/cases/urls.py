"""Pages of cases: the staff /staff/cases/ (and any public pages), included at "" before the OPAC."""
app_name = "cases"
urlpatterns = []
