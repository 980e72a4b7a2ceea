"""Uploading F0 lists, following their progress, and downloading the row report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.imports.forms import UploadForm
from phongdich.imports.models import JobStatus
from phongdich.imports.selectors import import_job_for_user, import_jobs_visible_to
from phongdich.imports.services import import_job_create, import_job_enqueue, import_report_open


@perm_required(Perm.IMPORT_RUN)
def job_list(request: HttpRequest) -> HttpResponse:
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = import_job_create(
                    actor=request.user, file=upload, name=upload.name, kind=form.cleaned_data["kind"] or "cases"
                )
            except ValidationError as error:
                form.add_error("file", error.message_dict.get("file", error.messages))
            else:
                messages.success(request, _("Đã nhận tệp “%(name)s”, đang nhập.") % {"name": job.original_name})
                return redirect("imports:detail", pk=job.pk)
    jobs = import_jobs_visible_to(request.user)[:50]
    return render(request, "imports/list.html", {"form": form, "jobs": jobs})


@perm_required(Perm.IMPORT_RUN)
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = import_job_for_user(request.user, pk)
    template = "imports/_progress.html" if request.htmx else "imports/detail.html"
    issues = job.issues.all()[:200] if job.status in (JobStatus.DONE, JobStatus.FAILED) else []
    return render(request, template, {"job": job, "issues": issues})


@perm_required(Perm.IMPORT_RUN)
def job_report(request: HttpRequest, pk: int) -> FileResponse:
    job = import_job_for_user(request.user, pk)
    if not job.report:
        raise Http404
    report = import_report_open(actor=request.user, job=job)
    return FileResponse(report, as_attachment=True, filename=f"bao-cao-nhap-{job.pk}.xlsx")


@require_POST
@perm_required(Perm.IMPORT_RUN)
def job_resume(request: HttpRequest, pk: int) -> HttpResponse:
    job = import_job_for_user(request.user, pk)
    if job.status == JobStatus.DONE:
        messages.info(request, _("Lượt nhập này đã hoàn thành."))
    else:
        import_job_enqueue(job=job)
        messages.success(request, _("Đã cho nhập tiếp từ dòng %(n)d.") % {"n": job.processed_rows + 1})
    return redirect("imports:detail", pk=job.pk)
