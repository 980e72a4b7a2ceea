"""Background task: write a situation report to xlsx in the worker (`manage.py db_worker`), with progress."""

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from phongdich.reports.models import ExportStatus, ReportExport
from phongdich.reports.situation import situation_report
from phongdich.reports.xlsx import situation_report_xlsx

logger = logging.getLogger(__name__)


def _progress(export_id: int, percent: int) -> None:
    ReportExport.objects.filter(pk=export_id).update(progress=percent)


@task()
def report_export_task(export_id: int) -> dict[str, int]:
    export = ReportExport.objects.select_related("area").get(pk=export_id)
    if export.status == ExportStatus.DONE:
        return {"export": export_id}
    ReportExport.objects.filter(pk=export_id).update(status=ExportStatus.RUNNING, progress=5, error="")
    try:
        report = situation_report(area=export.area, start=export.start, end=export.end)
        _progress(export_id, 15)
        content = situation_report_xlsx(report, progress=lambda percent: _progress(export_id, percent))
        name = f"bao-cao-{export.area.code}-{export.start:%Y%m%d}-{export.end:%Y%m%d}.xlsx"
        export.file.save(name, ContentFile(content), save=False)
        ReportExport.objects.filter(pk=export_id).update(
            file=export.file.name, status=ExportStatus.DONE, progress=100, finished_at=timezone.now()
        )
    except Exception:
        logger.exception("report export %s failed", export_id)
        ReportExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED, finished_at=timezone.now(), error="Lỗi hệ thống khi lập báo cáo; hãy thử lại."
        )
        raise
    return {"export": export_id}
