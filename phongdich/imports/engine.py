"""The one import engine: read a file, map its columns, process it in atomic batches, report every row.

A domain plugs in an `Importer` (see cases/importer.py). The engine owns reading, progress,
resumption and the row report; the importer owns parsing a row and writing the batch.
Each batch commits in one transaction together with its issues and the job's progress, so a
crash leaves no half-written batch, and a resumed job starts after the last committed one.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.audit.models import Event
from phongdich.audit.services import audit_record
from phongdich.imports.columns import map_header, normalise_title
from phongdich.imports.models import ImportIssue, ImportJob, JobStatus, Severity
from phongdich.imports.reader import Cell, ImportFileError, read_table
from phongdich.imports.report import report_write

BATCH_SIZE = 5000


@dataclass
class Row:
    number: int  # as the spreadsheet numbers it
    cells: list[Cell]
    mapping: dict[str, int]

    def get(self, field: str) -> Cell:
        index = self.mapping.get(field)
        if index is None or index >= len(self.cells):
            return None
        value = self.cells[index]
        return value.strip() if isinstance(value, str) else value

    def text(self, field: str) -> str:
        value = self.get(field)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


@dataclass
class BatchOutcome:
    created: int = 0
    matched_existing: int = 0
    rejected: int = 0
    doubtful: int = 0
    issues: list[ImportIssue] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)


class Importer(Protocol):
    synonyms: dict[str, tuple[str, ...]]
    required: dict[str, str]  # field → the column title to name when it is missing

    def parse_batch(self, rows: list[Row]) -> Any:
        """Parse and check rows in memory, before the batch's transaction opens."""

    def write_batch(self, prepared: Any) -> BatchOutcome:
        """Write what parse_batch prepared; called inside the batch's transaction."""


IMPORTERS: dict[str, Callable[[ImportJob], Importer]] = {}


def register(kind: str) -> Callable[[Callable[[ImportJob], Importer]], Callable[[ImportJob], Importer]]:
    def decorator(factory: Callable[[ImportJob], Importer]) -> Callable[[ImportJob], Importer]:
        IMPORTERS[kind] = factory
        return factory

    return decorator


def import_job_run(*, job: ImportJob, batch_size: int = BATCH_SIZE) -> ImportJob:
    """Run (or resume) `job` to the end; a file-level problem marks it failed with a Vietnamese message."""
    importer = IMPORTERS[job.kind](job)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=job.started_at or timezone.now())
    try:
        recognised = {name for names in importer.synonyms.values() for name in names}
        table = read_table(
            Path(job.file.path),
            looks_like_header=lambda header: sum(normalise_title(t) in recognised for t in header) >= 2,
        )
        mapping, unused = map_header(table.header, importer.synonyms)
        missing = [title for f, title in importer.required.items() if f not in mapping]
        if missing:
            raise ImportFileError(_("Thiếu cột bắt buộc: %(cols)s.") % {"cols": ", ".join(missing)})
    except ImportFileError as error:
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=str(error), finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    if job.processed_rows == 0:
        with transaction.atomic():
            if unused:
                ImportIssue.objects.create(
                    job=job, row_number=table.header_row, severity=Severity.DOUBTFUL,
                    message=_("Các cột không dùng đến: %(cols)s.") % {"cols": ", ".join(unused)},
                )  # fmt: skip
            ImportJob.objects.filter(pk=job.pk).update(total_rows=table.total)
    # Rows are read lazily, a batch at a time; a resumed job skips the rows already committed.
    rows = itertools.islice((Row(n, cells, mapping) for n, cells in table.rows), job.processed_rows, None)
    processed = job.processed_rows
    while batch := list(itertools.islice(rows, batch_size)):
        prepared = importer.parse_batch(batch)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Safe to skip waiting for the WAL flush: the job's progress commits with the
                # batch, so a batch lost in a server crash is simply imported again on resume.
                connection.cursor().execute("SET LOCAL synchronous_commit TO OFF")
            outcome = importer.write_batch(prepared)
            ImportIssue.objects.bulk_create(outcome.issues, batch_size=1000)
            ImportJob.objects.filter(pk=job.pk).update(
                processed_rows=processed + len(batch),
                created=F("created") + outcome.created,
                matched_existing=F("matched_existing") + outcome.matched_existing,
                rejected=F("rejected") + outcome.rejected,
                doubtful=F("doubtful") + outcome.doubtful,
            )
            audit_record(
                actor=job.created_by, event=Event.IMPORT, target_type="import_job", target_id=job.pk, area=job.area,
                extra={"rows": [batch[0].number, batch[-1].number], "created": outcome.created,
                       "matched_existing": outcome.matched_existing, "rejected": outcome.rejected, **outcome.summary},
            )  # fmt: skip
        processed += len(batch)
    # The exact count of non-empty rows replaces the estimate the progress bar started with.
    ImportJob.objects.filter(pk=job.pk).update(total_rows=processed)
    report_write(job=job)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, finished_at=timezone.now())
    job.refresh_from_db()
    return job
