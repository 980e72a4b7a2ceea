"""Import an F0 list (or, with `--kind doses`, a dose list) from the command line, in this process:
`import_cases FILE --user USERNAME [--kind doses] --json`."""

import json
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

import phongdich.cases.importer  # registers the "cases" importer
import phongdich.vaccination.importer  # noqa: F401  registers the "doses" importer
from phongdich.accounts.models import User
from phongdich.imports.engine import import_job_run
from phongdich.imports.models import ImportJob
from phongdich.imports.services import import_job_create


class Command(BaseCommand):
    help = "Nhập danh sách F0 từ tệp xlsx/csv (chạy lại cùng tệp không tạo trùng)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="tệp .xlsx/.xls/.ods/.csv")
        parser.add_argument("--user", required=True, help="tên đăng nhập của người nhập (quyết định địa bàn)")
        parser.add_argument(
            "--kind", choices=("cases", "doses"), default="cases", help="cases: danh sách F0; doses: danh sách mũi tiêm"
        )
        parser.add_argument("--resume", type=int, help="tiếp tục lượt nhập có mã này thay vì nhập tệp mới")
        parser.add_argument("--json", action="store_true", help="in một đối tượng JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.select_related("area").filter(username=options["user"], is_active=True).first()
        if user is None or user.area is None or not user.has_perm_code("import.run"):
            raise CommandError(f"Người dùng “{options['user']}” không tồn tại hoặc không có quyền nhập.")
        started = time.perf_counter()
        if options["resume"]:
            job = ImportJob.objects.filter(pk=options["resume"], created_by=user).first()
            if job is None:
                raise CommandError(f"Không có lượt nhập {options['resume']} của {user.username}.")
        else:
            if not options["file"]:
                raise CommandError("Cần tên tệp (hoặc --resume).")
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"Không có tệp {path}.")
            try:
                with path.open("rb") as f:
                    job = import_job_create(actor=user, file=f, name=path.name, kind=options["kind"], enqueue=False)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
        job = import_job_run(job=job)
        result = {
            "job": job.pk,
            "status": job.status,
            "rows": job.total_rows,
            "created": job.created,
            "matched_existing": job.matched_existing,
            "rejected": job.rejected,
            "doubtful": job.doubtful,
            "report": job.report.path if job.report else None,
            "error": job.error or None,
            "seconds": round(time.perf_counter() - started, 3),
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            for key, value in result.items():
                self.stdout.write(f"{key}: {value}")
