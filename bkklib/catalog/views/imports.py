"""Staff MARC import pages: upload, list, progress and report of import jobs."""
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from bkklib.core.decorators import perm_required
from bkklib.network import access

from .. import jobs
from ..forms import (
    ImportForm,
)
from ..models import ImportJob


@perm_required("catalog.import_marc")
def import_list(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = jobs.start_import(data["file"], user=request.user, format=data["format"], encoding=data["encoding"],
                                branch=data["branch"], on_duplicate=data["on_duplicate"])
        return redirect("catalog:import-detail", job.pk)
    recent = ImportJob.objects.select_related("created_by").order_by("-created_at")[:30]
    return render(request, "catalog/import_list.html", {"form": form, "jobs": recent})


def _job(request, job_id) -> ImportJob:
    job = get_object_or_404(ImportJob, pk=job_id)
    if job.created_by_id != request.user.pk and not access.acts_everywhere(request.user):
        raise Http404
    return job


@perm_required("catalog.import_marc")
def import_detail(request, job_id):
    return render(request, "catalog/import_detail.html", {"job": _job(request, job_id)})


@perm_required("catalog.import_marc")
def import_progress(request, job_id):
    """The progress panel (HTMX polls it every second while the job runs)."""
    return render(request, "catalog/partials/import_progress.html", {"job": _job(request, job_id)})


@perm_required("catalog.import_marc")
def import_report(request, job_id):
    job = _job(request, job_id)
    if job.status not in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        raise Http404
    response = HttpResponse(job.report or job.error, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.txt"'
    return response
