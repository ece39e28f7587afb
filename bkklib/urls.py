"""URL map (docs/architecture.md, Apps): / public site, /staff/ back office, /admin/, /api/v1/ REST API."""
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# The admin in the division's words, not "Django administration".
admin.site.site_header = _("bkklib: library network administration")
admin.site.site_title = _("bkklib administration")
admin.site.index_title = _("Network data")

# Strings of Django's admin and DRF's token app that their Thai catalogues lack; named here so
# makemessages keeps their Thai in bkklib/locale (which Django reads before the libraries' own).
LIBRARY_STRINGS = (
    gettext_noop("Show counts"), gettext_noop("Hide counts"),
    gettext_noop("Auth Token"), gettext_noop("Token"), gettext_noop("Tokens"),
)

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # One staff log-in for the admin too: rate limited, with two-factor codes (bkklib/staff/login.py).
    path("admin/login/", RedirectView.as_view(pattern_name="staff-login", query_string=True)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("bkklib.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("staff/", include("bkklib.staff.urls")),
    path("staff/network/", include("bkklib.network.urls")),
    path("staff/catalog/", include("bkklib.catalog.urls")),
    path("staff/circulation/", include("bkklib.circulation.urls")),
    path("staff/interop/", include("bkklib.interop.urls")),
    path("", include("bkklib.interop.protocol_urls")),  # /oai (OAI-PMH), /sru (SRU)
    path("staff/events/", include("bkklib.events.staff_urls")),
    path("events/", include("bkklib.events.urls")),
    path("", include("bkklib.spaces.urls")),  # /spaces/ and /staff/spaces/
    path("", include("bkklib.outreach.urls")),
    path("", include("bkklib.acquisitions.urls")),
    path("", include("bkklib.volunteers.urls")),
    path("", include("bkklib.facilities.urls")),
    path("", include("bkklib.cases.urls")),
    path("", include("bkklib.comms.urls")),
    path("", include("bkklib.reports.urls")),
    path("staff/elibrary/", include("bkklib.elibrary.staff_urls")),
    path("", include("bkklib.elibrary.urls")),  # /elibrary/, /opds/; before the DEBUG media view (files are private)
    path("", include("bkklib.opac.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Thai error pages in the style of the part of the site being read (bkklib/errors.py).
handler400 = "bkklib.errors.bad_request"
handler403 = "bkklib.errors.permission_denied"
handler404 = "bkklib.errors.page_not_found"
handler500 = "bkklib.errors.server_error"
