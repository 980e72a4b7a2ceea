"""The import API: upload an F0 list, follow the job, read its rejected and doubtful rows."""

from datetime import datetime

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja import Status as HttpStatus
from ninja.files import UploadedFile

from phongdich.accounts.api_auth import require_perm
from phongdich.accounts.roles import Perm
from phongdich.imports.selectors import import_job_for_user
from phongdich.imports.services import import_job_create

router = Router(tags=["imports"])


class ImportIssueOut(Schema):
    row_number: int
    severity: str
    field: str
    message: str


class ImportJobOut(Schema):
    id: int
    kind: str
    original_name: str
    status: str
    created_at: datetime
    finished_at: datetime | None
    total_rows: int
    processed_rows: int
    created: int
    matched_existing: int
    rejected: int
    doubtful: int
    error: str


class ImportJobDetailOut(ImportJobOut):
    issues: list[ImportIssueOut]


@router.post("", response={202: ImportJobOut})
def import_create(request: HttpRequest, file: File[UploadedFile], kind: Form[str] = "cases") -> HttpStatus:
    """Upload an xlsx/xls/ods/csv list (`kind`: "cases" for F0, "doses" for vaccination); it is imported in the
    background (poll GET /imports/{id})."""
    user = require_perm(request, Perm.IMPORT_RUN)
    job = import_job_create(actor=user, file=file, name=file.name or "upload", kind=kind)
    return HttpStatus(202, job)


@router.get("/{job_id}", response=ImportJobDetailOut)
def import_detail(request: HttpRequest, job_id: int) -> dict[str, object]:
    """Progress and counts; `issues` lists the first 500 rejected or doubtful rows with their reasons."""
    user = require_perm(request, Perm.IMPORT_RUN)
    job = import_job_for_user(user, job_id)
    return {**ImportJobOut.from_orm(job).dict(), "issues": list(job.issues.all()[:500])}
