"""Staff pages of comms under /staff/comms/: calendar, posts, drafts from sources, review, report, channels."""
from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core.calendar import thai_date
from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError
from bkklib.core.xlsx import Sheet, xlsx_response
from bkklib.network import access
from bkklib.network.models import Branch

from . import drafts, queries, services
from .forms import ActionForm, ChannelForm, CsvForm, DraftForm, PostForm
from .models import Channel, Post


def _branch_filter(request, perm: str):
    """``?branch=`` among the user's branches; ``division`` for division-wide posts; empty: all."""
    wanted = request.GET.get("branch", "")
    if wanted == "division":
        return "division"
    if wanted.isdigit():
        branch = access.branches_for(request.user, perm).filter(pk=wanted).first()
        if branch is None:
            raise Http404
        return branch
    return None


def _month(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


def _day(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


@perm_required("comms.view_post")
def calendar(request):
    """The content calendar by month or week, for a branch, the division or everything the user sees."""
    posts = queries.posts_for(request.user)
    branch = _branch_filter(request, "comms.view_post")
    if branch == "division":
        posts = posts.filter(branch__isnull=True)
    elif branch is not None:
        posts = posts.filter(branch=branch)
    status = request.GET.get("status", "")
    if status in Post.Status.values:
        posts = posts.filter(status=status)
    view = "week" if request.GET.get("view") == "week" else "month"
    if view == "week":
        day = _day(request)
        weeks = queries.week_grid(posts, day)
        start = weeks[0][0].day
        nav = {"prev": f"view=week&day={start - timedelta(days=7)}", "next": f"view=week&day={start + timedelta(days=7)}"}
        heading = _("Week of {day}").format(day=thai_date(start, long=True))
    else:
        month = _month(request)
        weeks = queries.month_grid(posts, month)
        prev = (month - timedelta(days=1)).replace(day=1)
        nxt = (month + timedelta(days=32)).replace(day=1)
        nav = {"prev": f"month={prev:%Y-%m}", "next": f"month={nxt:%Y-%m}"}
        heading = drafts.month_name(month)
    extra = "".join(f"&{k}={request.GET[k]}" for k in ("branch", "status") if request.GET.get(k, "").isalnum()
                    or request.GET.get(k) == "division")
    return render(request, "comms/calendar.html", {
        "weeks": weeks, "any_posts": any(d.posts for week in weeks for d in week), "view": view,
        "heading": heading, "nav": nav, "extra": extra,
        "branches": access.branches_for(request.user, "comms.view_post").order_by("code"),
        "branch": branch, "status": status, "statuses": Post.Status.choices,
        "unscheduled": queries.unscheduled(posts)[:20],
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]})


def _post_form(request, post: Post | None):
    branches = access.branches_for(request.user, "comms.add_post").order_by("code")
    channels = Channel.objects.filter(is_active=True).select_related("branch").order_by("kind", "name")
    initial = {}
    if post is not None:
        initial = {"title": post.title, "text": post.text, "link": post.link, "hashtags": post.hashtags,
                   "branch": post.branch, "publish_at": timezone.localtime(post.publish_at) if post.publish_at else None,
                   "image_url": post.image_url, "image_alt_th": post.image_alt_th,
                   "channels": [v.channel_id for v in post.variants.all()]}
        initial.update({f"variant_{v.channel_id}": v.text for v in post.variants.all()})
    return PostForm(request.POST or None, request.FILES or None, branches=branches, channels=channels,
                    initial=initial)


@perm_required("comms.add_post")
def post_form(request, pk: int | None = None):
    """Write a post, or change a draft: master text, channels and a text per channel where it differs."""
    post = get_object_or_404(queries.posts_for(request.user), pk=pk) if pk else None
    form = _post_form(request, post)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        photo = data.get("image")
        image = None
        if photo is not None:
            image = photo.content
        try:
            post = services.save_post(
                by=request.user, post=post, title=data["title"], text=data["text"], link=data["link"],
                hashtags=data["hashtags"], branch=data["branch"], publish_at=data["publish_at"], image=image,
                image_url=data["image_url"], image_alt_th=data["image_alt_th"], channels=list(data["channels"]),
                variants=form.variants())
        except DomainError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.text)
        except (IntegrityError, ValidationError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The post is saved as a draft."))
            return redirect("comms:post", pk=post.pk)
    return render(request, "comms/post_form.html", {"form": form, "post": post})


@perm_required("comms.view_post")
def post_detail(request, pk: int):
    post = get_object_or_404(queries.posts_for(request.user).prefetch_related("variants__channel", "actions__by"),
                             pk=pk)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.act(post=post, action=data["action"], by=request.user, note=data["note"],
                         publish_at=data["publish_at"])
        except DomainError as exc:
            messages.error(request, exc.text)
        else:
            messages.success(request, _("“{title}” is {state}.").format(
                title=post.title, state=Post.objects.get(pk=post.pk).get_status_display()))
        return redirect("comms:post", pk=post.pk)
    variants = [(v, services.channel_text(post, v.text)) for v in post.variants.all()]
    return render(request, "comms/post_detail.html", {
        "post": post, "variants": variants, "actions": post.actions.all(),
        "may_approve": request.user.has_perm("comms.approve_post") and post.author_id != request.user.pk,
        "is_author": post.author_id == request.user.pk})


@perm_required("comms.add_post")
def draft_sources(request):
    """One click: a draft from an activity, a festival month, new books, an e-book collection or a news post."""
    if request.method == "POST":
        form = DraftForm(request.POST)
        if form.is_valid():
            branch = None
            if form.cleaned_data.get("branch"):
                branch = access.branches_for(request.user, "comms.add_post").filter(
                    pk=form.cleaned_data["branch"]).first()
            try:
                post = drafts.create_draft(source=form.cleaned_data["source"], source_id=form.cleaned_data["source_id"],
                                           by=request.user, branch=branch)
            except DomainError as exc:
                messages.error(request, exc.text)
            else:
                messages.success(request, _("A draft is ready: check it, then send it for review."))
                return redirect("comms:post", pk=post.pk)
        return redirect("comms:drafts")
    from bkklib.elibrary.models import Collection
    from bkklib.events.models import Activity, Festival
    from bkklib.opac.models import NewsPost

    today = timezone.localdate()
    activities = (Activity.objects.published().filter(sessions__starts_at__gte=timezone.now(),
                                                      sessions__cancelled=False)
                  .select_related("branch").distinct().order_by("title")[:40])
    months = [(today.replace(day=1) - timedelta(days=1)).replace(day=1), today.replace(day=1)]
    return render(request, "comms/drafts.html", {
        "activities": activities,
        "festivals": Festival.objects.filter(ends_on__gte=today - timedelta(days=31)).order_by("starts_on")[:12],
        "months": [(m.strftime("%Y-%m"), drafts.month_name(m)) for m in months],
        "collections": Collection.objects.order_by("-featured", "name")[:20],
        "news": NewsPost.objects.filter(status=NewsPost.Status.PUBLISHED).order_by("-publish_at")[:10],
        "branches": access.branches_for(request.user, "comms.add_post").order_by("code")})


@perm_required("comms.approve_post")
def review(request):
    return render(request, "comms/review.html", {"posts": queries.awaiting_review(request.user).order_by("publish_at")})


def _report_month(request) -> date:
    month = _month(request)
    return month


@perm_required("comms.view_comms_report")
def report(request):
    """The monthly PR report per channel and branch (posts, reach, engagement, top posts); XLSX; reach import."""
    month = _report_month(request)
    branch = _branch_filter(request, "comms.view_comms_report")
    branch = branch if isinstance(branch, Branch) else None
    data = queries.monthly_report(request.user, month, branch=branch)
    if request.GET.get("format") == "xlsx":
        rows = [[r.kind, r.channel, r.branch or _("the whole division"), r.posts, r.reach, r.impressions,
                 r.engagement] for r in data.rows]
        top = [[v.post.title, v.channel.name, timezone.localtime(v.published_at).strftime("%Y-%m-%d %H:%M"),
                v.reach.reach if hasattr(v, "reach") else 0, e] for v, e in data.top]
        return xlsx_response(f"pr-report-{month:%Y-%m}.xlsx", [
            Sheet(_("Channels"), [_("Kind"), _("Channel"), _("Branch"), _("Posts"), _("Reach"), _("Impressions"),
                                  _("Engagement")], rows,
                  notes=[_("Public-relations report, {month}").format(month=drafts.month_name(month)),
                         _("Engagement: reactions + comments + shares + clicks.")],
                  totals=[_("Total"), "", "", data.total_posts, data.total_reach, "", data.total_engagement]),
            Sheet(_("Top posts"), [_("Post"), _("Channel"), _("Published"), _("Reach"), _("Engagement")], top)])
    prev = (month - timedelta(days=1)).replace(day=1)
    nxt = (month + timedelta(days=32)).replace(day=1)
    return render(request, "comms/report.html", {
        "data": data, "month_name": drafts.month_name(month), "month": month.strftime("%Y-%m"),
        "prev": prev.strftime("%Y-%m"), "next": nxt.strftime("%Y-%m"), "branch": branch,
        "branches": access.branches_for(request.user, "comms.view_comms_report").order_by("code"),
        "csv_form": CsvForm()})


@require_POST
@perm_required("comms.add_reach")
def import_reach(request):
    """Import reach: from a Meta Business Suite CSV upload, or fetched through the channels' APIs."""
    if request.FILES.get("file"):
        form = CsvForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                done, unknown = services.import_meta_csv(data=form.cleaned_data["file"].read(), by=request.user)
            except DomainError as exc:
                messages.error(request, exc.text)
            else:
                messages.success(request, _("{done} posts updated from the file.").format(done=done))
                if unknown:
                    messages.warning(request, _("{count} rows of the file are not posts sent from here.").format(
                        count=len(unknown)))
    else:
        done, errors = services.import_reach(since=timezone.now() - timedelta(days=60))
        messages.success(request, _("{done} posts updated from the channels.").format(done=done))
        for line in errors[:5]:
            messages.warning(request, line)
    return redirect(f"{reverse('comms:report')}?month={request.POST.get('month', '')}")


@perm_required("comms.view_channel")
def channels(request):
    rows = Channel.objects.select_related("branch").order_by("kind", "name")
    return render(request, "comms/channels.html", {"channels": rows, "settings_row": queries.settings_row()})


@perm_required("comms.manage_channel")
def channel_form(request, pk: int | None = None):
    channel = get_object_or_404(Channel, pk=pk) if pk else None
    initial = {}
    if channel is not None:
        initial = {f: getattr(channel, f) for f in ("kind", "name", "branch", "account_id", "base_url", "is_active")}
    form = ChannelForm(request.POST or None, initial=initial,
                       branches=access.branches_for(request.user, "comms.manage_channel").order_by("code"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        channel = channel or Channel()
        for f in ("kind", "name", "branch", "account_id", "base_url", "is_active"):
            setattr(channel, f, data[f])
        try:
            channel.full_clean(exclude=["credentials_encrypted"])
            services.save_channel(by=request.user, channel=channel, token=data["token"] or None)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except DomainError as exc:
            form.add_error(None, exc.text)
        else:
            messages.success(request, _("The channel is saved."))
            return redirect("comms:channels")
    return render(request, "comms/channel_form.html", {"form": form, "channel": channel})
