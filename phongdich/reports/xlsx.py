"""The situation report as an xlsx laid out like a steering-committee briefing.

One sheet: title and period, the key-figures block (with the previous period and the change), the day-by-day
table (late entries apart, 7-day average), the treatment table (by place, with shares), and the key sentences.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.reports.situation import PLACES, Report


def situation_report_xlsx(report: Report, progress: Callable[[int], None] = lambda percent: None) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(_("Báo cáo"))
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    title = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    centre = book.add_format({"align": "center", "italic": True})
    head = book.add_format({"bold": True, "bg_color": "#DDE7F0", "border": 1, "text_wrap": True, "valign": "vcenter"})
    cell = book.add_format({"border": 1})
    number = book.add_format({"border": 1, "num_format": "#,##0"})
    decimal = book.add_format({"border": 1, "num_format": "#,##0.0"})
    day_format = book.add_format({"border": 1, "num_format": "dd/mm/yyyy"})
    section = book.add_format({"bold": True, "font_size": 12})
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 7, 14)
    cur, prev = report.current, report.previous

    sheet.merge_range(
        0, 0, 0, 7, _("BÁO CÁO TÌNH HÌNH DỊCH COVID-19 — %(area)s") % {"area": report.area.name.upper()}, title
    )
    sheet.merge_range(
        1, 0, 1, 7,
        _("Từ %(start)s đến %(end)s (ngày báo cáo tính đến 18:00); so sánh với %(ps)s – %(pe)s. Lập lúc %(now)s.")
        % {"start": f"{cur.start:%d/%m/%Y}", "end": f"{cur.end:%d/%m/%Y}", "ps": f"{prev.start:%d/%m/%Y}",
           "pe": f"{prev.end:%d/%m/%Y}", "now": f"{timezone.localtime():%H:%M %d/%m/%Y}"},
        centre,
    )  # fmt: skip
    progress(20)

    row = 3
    sheet.write(row, 0, _("I. SỐ LIỆU CHÍNH"), section)
    row += 1
    sheet.write_row(row, 0, [_("Chỉ tiêu"), _("Kỳ này"), _("Kỳ trước"), _("Tăng/giảm")], head)
    for item in report.comparison:
        row += 1
        sheet.write(row, 0, item.label, cell)
        for col, value in enumerate((item.current, item.previous, item.difference), start=1):
            if value is None:
                sheet.write_string(row, col, "—", cell)
            else:
                sheet.write_number(row, col, value, decimal if isinstance(value, float) else number)
    progress(40)

    row += 2
    sheet.write(row, 0, _("II. CA MẮC MỚI THEO NGÀY BÁO CÁO"), section)
    row += 1
    sheet.write_row(
        row, 0,
        [_("Ngày"), _("Cộng đồng"), _("Đang cách ly / F1"), _("Nơi khác đến"), _("Tổng trong ngày"),
         _("Trung bình 7 ngày"), _("Nhập muộn (tính riêng)")],
        head,
    )  # fmt: skip
    for day in report.days:
        row += 1
        sheet.write_datetime(row, 0, timezone.datetime(day.day.year, day.day.month, day.day.day), day_format)
        for col, value in enumerate((day.community, day.quarantine, day.other, day.total), start=1):
            sheet.write_number(row, col, value, number)
        sheet.write_number(row, 5, day.average7, decimal)
        sheet.write_number(row, 6, day.late, number)
    row += 1
    sheet.write(row, 0, _("Cộng"), head)
    for col, value in enumerate((cur.new_community, cur.new_quarantine, cur.new_other, cur.new_total), start=1):
        sheet.write_number(row, col, value, number)
    sheet.write_number(row, 5, cur.average, decimal)
    sheet.write_number(row, 6, cur.new_late, number)
    progress(70)

    row += 2
    sheet.write(row, 0, _("III. ĐANG ĐIỀU TRỊ NGÀY %(day)s") % {"day": f"{cur.end:%d/%m/%Y}"}, section)
    row += 1
    sheet.write_row(row, 0, [_("Nơi điều trị"), _("Số người"), _("Tỷ lệ (%)"), _("Kỳ trước")], head)
    for key, label in PLACES:
        row += 1
        sheet.write(row, 0, str(label), cell)
        sheet.write_number(row, 1, getattr(cur, key), number)
        share = cur.shares.get(key)
        sheet.write(row, 2, share if share is not None else "—", decimal)
        sheet.write_number(row, 3, getattr(prev, key), number)
    row += 1
    sheet.write(row, 0, _("Tổng đang điều trị"), head)
    sheet.write_number(row, 1, cur.treating, number)
    sheet.write(row, 2, 100.0 if cur.treating else "—", decimal)
    sheet.write_number(row, 3, prev.treating, number)

    row += 2
    sheet.write(row, 0, _("IV. NHẬN ĐỊNH"), section)
    for sentence in report.sentences():
        row += 1
        sheet.merge_range(row, 0, row, 7, sentence)
    progress(90)
    book.close()
    return buffer.getvalue()
