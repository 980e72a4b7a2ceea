"""The deadline report: was everyone paid, by a date (before Tết), for service that ended by then?

Per district and ward: the entitlements whose service ended on or before the deadline, what of them was
paid on or before it (payments cancelled since are not counted), what is still owed, the % paid, how many
people were not fully paid and whether the target was met. Four grouped queries, whatever the city's size.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import xlsxwriter
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.support.selectors import entitlements_visible_to


@dataclass
class Line:
    area: Area
    entitlements: int = 0
    people: int = 0
    due: int = 0
    paid: int = 0
    unpaid_people: int = 0
    target: int = 100

    @property
    def owed(self) -> int:
        return self.due - self.paid

    @property
    def percent(self) -> Decimal | None:
        """% of the amount due that was paid by the deadline, one decimal; None when nothing was due."""
        if not self.due:
            return None
        return (Decimal(self.paid) * 100 / Decimal(self.due)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def met(self) -> bool:
        return self.due == 0 or self.paid * 100 >= self.due * self.target

    def add(self, other: "Line") -> None:
        self.entitlements += other.entitlements
        self.people += other.people
        self.due += other.due
        self.paid += other.paid
        self.unpaid_people += other.unpaid_people


@dataclass
class DistrictBlock:
    total: Line
    wards: list[Line] = field(default_factory=list)


@dataclass
class DeadlineReport:
    deadline: date
    target: int
    districts: list[DistrictBlock]
    total: Line


def deadline_report(*, user: User, deadline: date, district_id: int | None = None, target: int = 100) -> DeadlineReport:
    rows = entitlements_visible_to(user).filter(end_on__lte=deadline)
    if district_id:
        rows = rows.filter(ward__parent_id=district_id)
    paid_by = Q(payments__paid_on__lte=deadline, payments__cancelled_at__isnull=True)
    due = {
        r["ward_id"]: r
        for r in rows.order_by()
        .values("ward_id")
        .annotate(n=Count("id"), people=Count("person_key", distinct=True), due=Sum("amount"))
    }
    paid = dict(
        rows.filter(paid_by)
        .order_by()
        .values("ward_id")
        .annotate(s=Sum("payments__amount"))
        .values_list("ward_id", "s")
    )
    # People with at least one entitlement not fully paid by the deadline.
    short = (
        rows.order_by()
        .annotate(paid_by=Coalesce(Sum("payments__amount", filter=paid_by), Value(0)))
        .filter(paid_by__lt=F("amount"))
        .values_list("ward_id", "person_key")
    )
    unpaid: dict[int, set[str]] = {}
    for ward_id, key in short:
        unpaid.setdefault(ward_id, set()).add(key)

    wards = Area.objects.select_related("parent").in_bulk(list(due))
    blocks: dict[int, DistrictBlock] = {}
    total = Line(area=user.area, target=target)  # type: ignore[arg-type]
    for ward_id, r in due.items():
        ward = wards[ward_id]
        line = Line(
            area=ward, entitlements=r["n"], people=r["people"], due=r["due"] or 0, paid=paid.get(ward_id) or 0,
            unpaid_people=len(unpaid.get(ward_id, ())), target=target,
        )  # fmt: skip
        block = blocks.setdefault(ward.parent_id, DistrictBlock(Line(area=ward.parent, target=target)))  # type: ignore[arg-type]
        block.wards.append(line)
        block.total.add(line)
        total.add(line)
    districts = sorted(blocks.values(), key=lambda b: b.total.area.code)
    for block in districts:
        block.wards.sort(key=lambda line: line.area.code)
    return DeadlineReport(deadline=deadline, target=target, districts=districts, total=total)


HEADERS = [
    "Quận/huyện", "Phường/xã", "Số khoản", "Số người", "Phải trả (đồng)", "Đã trả đến hạn (đồng)",
    "Còn nợ (đồng)", "% đã trả", "Số người chưa trả đủ", "Đạt chỉ tiêu",
]  # fmt: skip


def deadline_report_xlsx(report: DeadlineReport) -> bytes:
    """The report as a workbook: district subtotal rows in bold, each followed by its wards, then the total."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(_("Chi trả đến hạn"))
    bold = workbook.add_format({"bold": True})
    head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True})
    money = workbook.add_format({"num_format": "#,##0"})
    money_bold = workbook.add_format({"num_format": "#,##0", "bold": True})
    sheet.write_string(0, 0, _("Chi trả chế độ hỗ trợ lực lượng phòng, chống dịch đến hết ngày %(day)s (chỉ tiêu %(t)s%%)")
                       % {"day": f"{report.deadline:%d/%m/%Y}", "t": report.target}, bold)  # fmt: skip
    sheet.write_row(2, 0, [_(h) for h in HEADERS], head)
    row = 3

    def write(line: Line, district: str, ward: str, strong: bool) -> None:
        nonlocal row
        sheet.write_string(row, 0, district, bold if strong else None)
        sheet.write_string(row, 1, ward, bold if strong else None)
        for col, value in enumerate([line.entitlements, line.people], start=2):
            sheet.write_number(row, col, value, bold if strong else None)
        for col, value in enumerate([line.due, line.paid, line.owed], start=4):
            sheet.write_number(row, col, value, money_bold if strong else money)
        if line.percent is not None:
            sheet.write_number(row, 7, float(line.percent), bold if strong else None)
        sheet.write_number(row, 8, line.unpaid_people, bold if strong else None)
        sheet.write_string(row, 9, _("Đạt") if line.met else _("Chưa đạt"), bold if strong else None)
        row += 1

    for block in report.districts:
        write(block.total, block.total.area.name, _("Cả quận/huyện"), True)
        for line in block.wards:
            write(line, block.total.area.name, line.area.name, False)
    write(report.total, _("Tổng cộng"), "", True)
    for col, width in enumerate([20, 22, 9, 9, 16, 18, 16, 9, 12, 11]):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(3, 0)
    workbook.close()
    return buffer.getvalue()
