"""Public pages of the website: home, library directory and branch pages, info pages, robots.txt."""
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from bkklib.circulation.models import FeeTier
from bkklib.core import public
from bkklib.core.collation import thai_sorted
from bkklib.network import queries as network_queries
from bkklib.network.models import Branch

from . import clock, queries
from .forms import DirectoryFilterForm
from .models import InfoPage

DIRECTORY_PAGE_SIZE = 24
FEATURED_KINDS = (Branch.Kind.CITY_LIBRARY, Branch.Kind.PUBLIC_LIBRARY, Branch.Kind.LEARNING_CENTRE)


def home(request):
    """The home page: the search box, new arrivals, the latest news and libraries open now."""
    now = clock.now()
    # "Open now" changes by the minute at most: compute it once a minute for every visitor.
    key = f"opac:featured:{timezone.localtime(now):%Y%m%d%H%M}"
    featured = cache.get(key)
    if featured is None:
        candidates = queries.public_branches().filter(kind__in=FEATURED_KINDS, status=Branch.Status.OPEN)
        featured = [s for s in queries.branch_statuses(candidates.order_by("name_th"), now) if s.is_open_now][:6]
        cache.set(key, featured, 60)
    context = {
        "news": list(queries.visible_news(now)[:3]),
        "featured": featured,
        "new_arrivals": queries.new_arrivals(),
        "now": now,
        # e-books to read, this month's festival...: sections the higher apps add (core/public.py)
        "sections": public.home_sections(timezone.localdate(now)),
    }
    return render(request, "opac/home.html", context)


def library_list(request):
    """The library directory: filter by name, district, kind, service, open now; sort by distance when located."""
    form = DirectoryFilterForm(request.GET or None)
    branches = queries.public_branches()
    near = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["name"]:
            branches = branches.filter(name_th__icontains=data["name"]) | branches.filter(name_en__icontains=data["name"])
        if data["district"]:
            branches = branches.filter(district=data["district"])
        if data["kind"]:
            branches = branches.filter(kind=data["kind"])
        if data["service"]:
            branches = branches.filter(services=data["service"])
        if data["lat"] is not None and data["lng"] is not None:
            near = (data["lat"], data["lng"])
    now = clock.now()
    statuses = queries.branch_statuses(branches.distinct().order_by("district__code", "name_th"), now, near=near)
    statuses = thai_sorted(statuses, key=lambda s: (s.branch.district.code, s.branch.name_th))
    if form.is_bound and form.is_valid() and form.cleaned_data["open_now"]:
        statuses = [s for s in statuses if s.is_open_now]
    if near:
        # Branches without coordinates go last, still listed: the visitor may know them.
        statuses.sort(key=lambda s: (s.distance_km is None, s.distance_km or 0))
    page = Paginator(statuses, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    # A holiday closes every library: say it once above the list, not on every card.
    holidays = queries.network_closures(timezone.localdate(now))
    return render(request, "opac/library_list.html", {"form": form, "page": page, "near": near, "now": now,
                                                       "total": len(statuses), "network_closures": holidays})


def library_detail(request, code):
    """A branch page: today's status, the week's hours, closures ahead, services, contacts, map."""
    branch = get_object_or_404(
        Branch.objects.exclude(kind=Branch.Kind.OFFICE).select_related("district", "parent"), code=code
    )
    now = clock.now()
    today = timezone.localtime(now).date()
    status = queries.branch_statuses([branch], now)[0]
    timetable = queries.regular_hours(branch)
    context = {
        "branch": branch,
        "status": status,
        "week": queries.week_hours(branch, today),
        "timetable": timetable,
        "json_ld": _library_json_ld(request, branch, timetable),
        "closures": queries.closures_ahead(branch, today + timedelta(days=1)),
        "next_open": None if status.is_open_now or status.opens_next_at
        else network_queries.next_open_day(branch, today + timedelta(days=1)),
        "services": list(branch.services.all()),
        "children": thai_sorted(branch.children.exclude(kind=Branch.Kind.OFFICE), key=lambda b: b.name_th),
        "stale_after_days": settings.BKKLIB["STALE_AFTER_DAYS"],
        "now": now,
    }
    return render(request, "opac/library_detail.html", context)


def _library_json_ld(request, branch, timetable) -> dict:
    """Return schema.org Library data for the branch page (hours, address, geo, phone)."""
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    data = {
        "@context": "https://schema.org",
        "@type": "Library",
        "name": branch.name_th,
        "alternateName": branch.name_en or None,
        "url": request.build_absolute_uri(),
        "telephone": branch.phone or None,
        "email": branch.email or None,
        "address": {"@type": "PostalAddress", "streetAddress": branch.address, "addressLocality": branch.district.name_th,
                    "addressRegion": "กรุงเทพมหานคร", "postalCode": branch.district.postal_code, "addressCountry": "TH"},
        "openingHoursSpecification": [
            {"@type": "OpeningHoursSpecification", "dayOfWeek": days[weekday],
             "opens": opens.strftime("%H:%M"), "closes": closes.strftime("%H:%M")}
            for weekday, periods in timetable for opens, closes in periods
        ],
    }
    if branch.latitude is not None and branch.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": float(branch.latitude), "longitude": float(branch.longitude)}
    return {k: v for k, v in data.items() if v is not None}


def info_page(request, slug):
    """An information page (about, contact, membership) whose text staff edit."""
    page = get_object_or_404(InfoPage, slug=slug)
    fees = []
    if slug == InfoPage.Slug.MEMBERSHIP:
        # The fee table is circulation's data: the page shows the rates the desk charges.
        fees = thai_sorted(FeeTier.objects.select_related("category"),
                           key=lambda f: (f.category.name_th if f.category else "", f.min_age))
    return render(request, "opac/info_page.html", {"page": page, "fees": fees})


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    """robots.txt: public pages open to crawlers, account and staff pages closed, the sitemap named."""
    lines = [
        "User-agent: *",
        "Disallow: /account/",
        "Disallow: /staff/",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /i18n/",
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
