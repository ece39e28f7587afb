"""Staff (PR) pages under /staff/news/: write, preview, schedule, publish and export news posts."""
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core.decorators import perm_required

from . import rules, services
from .forms import InfoPageForm, NewsImageFormSet, NewsPostForm, PublishForm
from .models import InfoPage, NewsPost


@perm_required("opac.view_newspost")
def post_list(request):
    """Every post with its state: draft, scheduled or published."""
    posts = NewsPost.objects.select_related("branch", "author").order_by("-updated_at")
    state = request.GET.get("state", "")
    now = timezone.now()
    if state == "draft":
        posts = posts.filter(status=NewsPost.Status.DRAFT)
    elif state == "scheduled":
        posts = posts.filter(status=NewsPost.Status.PUBLISHED, publish_at__gt=now)
    elif state == "published":
        posts = posts.filter(status=NewsPost.Status.PUBLISHED, publish_at__lte=now)
    return render(request, "opac/staff/post_list.html", {
        "posts": posts[:200], "state": state, "now": now, "pages": InfoPage.objects.all(),
    })


def _edit(request, post: NewsPost | None):
    form = NewsPostForm(request.POST or None, request.FILES or None, instance=post)
    formset = NewsImageFormSet(request.POST or None, request.FILES or None, instance=post or NewsPost())
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            obj = form.save(commit=False)
            if not obj.pk:
                obj.author = request.user
            if not form.cleaned_data.get("slug"):
                obj.slug = obj.slug or services.unique_slug(obj.title_en, when=timezone.now(), exclude_pk=obj.pk)
            obj.save()
            formset.instance = obj
            formset.save()
        messages.success(request, _("Saved “{title}”.").format(title=obj.title_th))
        return redirect("opac:staff-news-detail", pk=obj.pk)
    return render(request, "opac/staff/post_form.html", {"form": form, "formset": formset, "post": post})


@perm_required("opac.add_newspost")
def post_create(request):
    """Write a new post (saved as a draft)."""
    return _edit(request, None)


@perm_required("opac.change_newspost")
def post_edit(request, pk):
    """Edit a post; a published post changes on the site at once."""
    return _edit(request, get_object_or_404(NewsPost, pk=pk))


@perm_required("opac.view_newspost")
def post_detail(request, pk):
    """A post's state, preview link, publishing form and social-media export."""
    post = get_object_or_404(NewsPost.objects.select_related("branch", "author"), pk=pk)
    url = f"{settings.BKKLIB['SITE_URL'].rstrip('/')}{post.get_absolute_url()}"
    exports = []
    for lang, title, body in (("th", post.title_th, post.body_th), ("en", post.title_en, post.body_en)):
        if not title:
            continue
        for channel in ("facebook", "line"):
            exports.append((lang, rules.social_text(channel=channel, title=title, body=body, url=url,
                                                    hashtags=post.tag_list)))
    return render(request, "opac/staff/post_detail.html", {
        "post": post, "publish_form": PublishForm(), "exports": exports, "url": url, "now": timezone.now(),
    })


@perm_required("opac.view_newspost")
def post_preview(request, pk):
    """Show the post exactly as the public page will, before it is published."""
    post = get_object_or_404(NewsPost, pk=pk)
    return render(request, "opac/news_detail.html", {"post": post, "images": list(post.images.all()), "preview": True})


@require_POST
@perm_required("opac.publish_newspost")
def post_publish(request, pk):
    """Publish now, or schedule for the given moment."""
    post = get_object_or_404(NewsPost, pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the publication moment as date and time, e.g. 2025-06-02 09:00."))
        return redirect("opac:staff-news-detail", pk=pk)
    at = form.cleaned_data["publish_at"]
    post = services.publish(post, at=at)
    if post.is_scheduled():
        messages.success(request, _("“{title}” is scheduled for {when}.").format(
            title=post.title_th, when=timezone.localtime(post.publish_at).strftime("%Y-%m-%d %H:%M")))
    else:
        messages.success(request, _("“{title}” is published.").format(title=post.title_th))
    return redirect("opac:staff-news-detail", pk=pk)


@require_POST
@perm_required("opac.publish_newspost")
def post_unpublish(request, pk):
    """Take a post off the site (back to draft)."""
    post = services.unpublish(get_object_or_404(NewsPost, pk=pk))
    messages.success(request, _("“{title}” is back to draft.").format(title=post.title_th))
    return redirect("opac:staff-news-detail", pk=pk)


@perm_required("opac.change_infopage")
def page_edit(request, slug):
    """Edit the text of an information page (about, contact, membership)."""
    page = get_object_or_404(InfoPage, slug=slug)
    form = InfoPageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.updated_by = request.user
        obj.save()
        messages.success(request, _("Saved “{title}”.").format(title=obj.title_th))
        return redirect("opac:staff-news")
    return render(request, "opac/staff/page_form.html", {"form": form, "page": page})
