"""Background task: run an import job in the worker (`manage.py db_worker`)."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

import phongdich.cases.importer  # registers the "cases" importer
import phongdich.vaccination.importer  # noqa: F401  registers the "doses" importer
from phongdich.imports.engine import import_job_run
from phongdich.imports.models import ImportJob, JobStatus

logger = logging.getLogger(__name__)


@task()
def import_job_task(job_id: int) -> dict[str, int]:
    job = ImportJob.objects.select_related("area", "created_by").get(pk=job_id)
    if job.status == JobStatus.DONE:
        return {"rows": job.total_rows}
    try:
        job = import_job_run(job=job)
    except Exception:
        logger.exception("import job %s crashed", job_id)
        with transaction.atomic():
            ImportJob.objects.filter(pk=job_id).update(
                status=JobStatus.FAILED,
                finished_at=timezone.now(),
                error=_("Lỗi hệ thống khi nhập; các lô đã ghi được giữ nguyên, bấm “Tiếp tục” để nhập tiếp."),
            )
        raise
    return {"rows": job.total_rows, "created": job.created, "rejected": job.rejected}
