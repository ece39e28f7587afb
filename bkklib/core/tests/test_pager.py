"""The one pager partial: every paged list renders it, and its links keep the other query parameters."""
from pathlib import Path

from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

PACKAGE = Path(__file__).resolve().parents[2]


def render(path: str, **context) -> str:
    request = RequestFactory().get(path)
    return Template("{% load pages %}" + context.pop("tag")).render(Context({"request": request, **context}))


def test_links_keep_the_other_parameters_and_change_the_page():
    page = Paginator(range(100), 20).page(3)
    html = render("/staff/network/branches/?district=1001&q=%E0%B8%A3&page=3", tag="{% pager page %}", page=page)
    assert 'href="?district=1001&amp;q=%E0%B8%A3&amp;page=2" rel="prev"' in html
    assert 'href="?district=1001&amp;q=%E0%B8%A3&amp;page=4" rel="next"' in html
    assert "3" in html and "5" in html


def test_one_page_renders_nothing_and_the_ends_have_one_link():
    assert render("/", tag="{% pager page %}", page=Paginator(range(5), 20).page(1)).strip() == ""
    first = render("/?page=1", tag="{% pager page %}", page=Paginator(range(50), 20).page(1))
    assert 'rel="next"' in first and 'rel="prev"' not in first
    last = render("/?page=3", tag="{% pager page %}", page=Paginator(range(50), 20).page(3))
    assert 'rel="prev"' in last and 'rel="next"' not in last


def test_a_list_paged_elsewhere_may_stop_offering_next_before_its_last_page():
    html = render("/search/?q=x&page=500", tag="{% pager number=500 num_pages=900 last=500 %}")
    assert 'rel="prev"' in html and 'rel="next"' not in html


def test_no_template_writes_its_own_pager():
    own = [str(p.relative_to(PACKAGE)) for p in PACKAGE.glob("**/templates/**/*.html")
           if "has_previous" in p.read_text("utf-8") or "previous_page_number" in p.read_text("utf-8")]
    assert own == []
