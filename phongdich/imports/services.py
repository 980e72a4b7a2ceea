"""Starting and resuming import jobs."""

import hashlib
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.accounts.roles import Perm
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record
from phongdich.imports.engine import IMPORTERS
from phongdich.imports.models import ImportJob, JobStatus
from phongdich.imports.tasks import import_job_task

ALLOWED_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv"}


def check_import_file(*, name: str, size: int) -> None:
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ValidationError(
            {"file": _("Tệp “%(name)s” không phải bảng tính (.xlsx, .xls, .ods hoặc .csv).") % {"name": name}}
        )
    if size == 0:
        raise ValidationError({"file": _("Tệp rỗng.")})
    limit = settings.PHONGDICH_IMPORT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            {
                "file": _("Tệp %(size)d MB, vượt giới hạn %(limit)d MB; hãy chia nhỏ tệp.")
                % {"size": size // 2**20, "limit": limit // 2**20}
            }
        )


@transaction.atomic
def import_job_create(
    *, actor: User, file: IO[bytes], name: str, kind: str = "cases", enqueue: bool = True
) -> ImportJob:
    """Store the uploaded file and queue its import for the worker (imports.tasks); with
    enqueue=False the caller runs it itself (the import_cases command)."""
    if kind not in IMPORTERS:
        raise ValidationError({"kind": _("Không có loại danh sách “%(kind)s”.") % {"kind": kind}})
    if kind == "doses" and not actor.has_perm_code(Perm.VACCINATION_EDIT):
        raise ValidationError({"kind": _("Bạn không có quyền ghi mũi tiêm nên không nhập được danh sách mũi tiêm.")})
    file.seek(0, 2)
    size = file.tell()
    check_import_file(name=name, size=size)
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    file.seek(0)
    job = ImportJob(
        kind=kind, original_name=Path(name).name[:255], sha256=digest.hexdigest(), area=actor.area, created_by=actor
    )
    job.file.save(Path(name).name, File(file), save=False)
    job.save()
    if enqueue:
        import_job_enqueue(job=job)
    return job


def import_job_enqueue(*, job: ImportJob) -> None:
    if job.status != JobStatus.QUEUED:
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, error="")
    transaction.on_commit(lambda: import_job_task.enqueue(job.pk))


def import_report_open(*, actor: User, job: ImportJob) -> IO[bytes]:
    """The row report of `job` for download; it names people, so the export is audited."""
    audit_record(
        actor=actor, event=Event.EXPORT, target_type="import_job", target_id=job.pk, area=job.area,
        extra={"file": job.report.name},
    )  # fmt: skip
    return job.report.open("rb")
