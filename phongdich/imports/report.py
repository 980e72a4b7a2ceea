"""The row report: an xlsx listing, in Vietnamese, every rejected or doubtful row and why."""

import io

import xlsxwriter
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from phongdich.imports.models import ImportJob, Severity


def report_write(*, job: ImportJob) -> None:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = workbook.add_worksheet(_("Dòng cần xử lý"))
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7"})
    rejected = workbook.add_format({"font_color": "#C00000"})
    sheet.write_row(0, 0, [_("Dòng"), _("Kết quả"), _("Cột"), _("Lý do"), _("Dữ liệu dòng")], bold)
    sheet.set_column(0, 0, 7)
    sheet.set_column(1, 2, 16)
    sheet.set_column(3, 3, 70)
    labels = dict(Severity.choices)
    for i, issue in enumerate(job.issues.order_by("row_number", "id").iterator(chunk_size=2000), start=1):
        style = rejected if issue.severity == Severity.REJECTED else None
        sheet.write_number(i, 0, issue.row_number)
        sheet.write_string(i, 1, str(labels[issue.severity]), style)
        sheet.write_string(i, 2, issue.field)
        sheet.write_string(i, 3, issue.message, style)
        for j, value in enumerate(issue.values):
            sheet.write_string(i, 4 + j, "" if value is None else str(value))
    summary = workbook.add_worksheet(_("Tổng hợp"))
    job.refresh_from_db()
    for r, (label, value) in enumerate(
        [
            (_("Tệp"), job.original_name),
            (_("Số dòng dữ liệu"), job.total_rows),
            (_("F0 tạo mới"), job.created),
            (_("Đã có từ trước"), job.matched_existing),
            (_("Bị từ chối"), job.rejected),
            (_("Cần xem lại"), job.doubtful),
        ]
    ):
        summary.write_row(r, 0, [str(label), value])
    workbook.close()
    name = f"bao-cao-nhap-{job.pk}.xlsx"
    job.report.save(name, ContentFile(buffer.getvalue()), save=False)
    type(job).objects.filter(pk=job.pk).update(report=job.report.name)
