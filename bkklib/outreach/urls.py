"""Pages of outreach: the staff /staff/outreach/ (and any public pages), included at "" before the OPAC."""
app_name = "outreach"
urlpatterns = []
