"""The situation report ("báo cáo tình hình") of an area for a period, compared with the previous period.

Everything is read from the daily summary table through `series.daily` (3 queries, whatever the area): new cases
per report day by source with the late entries apart, the trailing 7-day average, the peak day, people under
treatment by place at the end with their shares, released, deaths, alerts handled in time, F1 in quarantine and
new F1, requests answered in time — and the same figures for the previous period of equal length.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongdich.areas.models import Area
from phongdich.reports.series import DayRow, daily

PLACES = (
    ("home", gettext_lazy("Tại nhà")), ("tier1", gettext_lazy("Tầng 1")), ("tier2", gettext_lazy("Tầng 2")),
    ("tier3", gettext_lazy("Tầng 3")),
)  # fmt: skip


def percent(part: int, whole: int) -> float | None:
    """`part` of `whole` in %, one decimal; None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


@dataclass
class DayFigures:
    day: date
    community: int
    quarantine: int
    other: int
    total: int  # community + quarantine + other (the day's count)
    late: int  # entered more than PHONGDICH_LATE_ENTRY_DAYS after the positive test: shown apart
    average7: float  # trailing 7-day average of `total`, this day included


@dataclass
class PeriodFigures:
    start: date
    end: date
    days: int
    new_community: int = 0
    new_quarantine: int = 0
    new_other: int = 0
    new_total: int = 0
    new_late: int = 0
    average: float = 0.0
    peak: int = 0
    peak_day: date | None = None
    released: int = 0
    died: int = 0
    home: int = 0
    tier1: int = 0
    tier2: int = 0
    tier3: int = 0
    treating: int = 0
    shares: dict[str, float | None] = field(default_factory=dict)
    alerts_handled: int = 0
    alerts_in_time: int = 0
    alerts_in_time_pct: float | None = None
    contacts_new: int = 0
    quarantine: int = 0
    requests_new: int = 0
    requests_answered: int = 0
    requests_in_time: int = 0
    requests_in_time_pct: float | None = None


@dataclass
class Comparison:
    key: str
    label: str
    current: float | int | None
    previous: float | int | None

    @property
    def difference(self) -> float | int | None:
        if self.current is None or self.previous is None:
            return None
        return round(self.current - self.previous, 1)


@dataclass
class Report:
    area: Area
    current: PeriodFigures
    previous: PeriodFigures
    days: list[DayFigures]
    comparison: list[Comparison]

    @property
    def start(self) -> date:
        return self.current.start

    @property
    def end(self) -> date:
        return self.current.end

    def sentences(self) -> list[str]:
        """The key figures as a directive would word them."""
        cur, prev = self.current, self.previous
        lines = [
            _("Trong %(n)s ngày (%(start)s – %(end)s) ghi nhận %(total)s ca mắc mới, trung bình %(avg)s ca/ngày")
            % {"n": cur.days, "start": f"{cur.start:%d/%m}", "end": f"{cur.end:%d/%m/%Y}", "total": cur.new_total,
               "avg": _num(cur.average)}
        ]  # fmt: skip
        if cur.peak_day:
            lines[0] += _(", cao nhất %(peak)s ca ngày %(day)s") % {"peak": cur.peak, "day": f"{cur.peak_day:%d/%m}"}
        lines[0] += _(" (cộng đồng %(c)s, đang cách ly %(q)s, nơi khác đến %(o)s).") % {
            "c": cur.new_community, "q": cur.new_quarantine, "o": cur.new_other,
        }  # fmt: skip
        if cur.new_late:
            lines.append(
                _("Ngoài ra %(n)s ca nhập muộn (bổ sung của những ngày trước) được tính riêng.") % {"n": cur.new_late}
            )
        change = cur.new_total - prev.new_total
        if prev.new_total or cur.new_total:
            word = _("tăng") if change > 0 else _("giảm") if change < 0 else _("không đổi so với")
            pct = percent(abs(change), prev.new_total)
            lines.append(
                _("So với %(n)s ngày trước đó (%(prev)s ca): %(word)s %(diff)s ca%(pct)s.")
                % {"n": prev.days, "prev": prev.new_total, "word": word, "diff": abs(change),
                   "pct": f" ({_num(pct)}%)" if pct is not None and change else ""}
            )  # fmt: skip
        lines.append(
            _("Đang điều trị %(t)s người: tại nhà %(h)s, tầng 1 %(t1)s, tầng 2 %(t2)s, tầng 3 %(t3)s; khỏi %(r)s, tử vong %(d)s.")
            % {"t": cur.treating, "h": cur.home, "t1": cur.tier1, "t2": cur.tier2, "t3": cur.tier3, "r": cur.released,
               "d": cur.died}
        )  # fmt: skip
        if cur.alerts_handled:
            lines.append(
                _("Xử lý cảnh báo đúng hạn %(n)s/%(N)s (%(p)s%%).")
                % {"n": cur.alerts_in_time, "N": cur.alerts_handled, "p": _num(cur.alerts_in_time_pct)}
            )
        lines.append(_("F1 đang cách ly %(q)s người; F1 mới %(n)s.") % {"q": cur.quarantine, "n": cur.contacts_new})
        if cur.requests_answered:
            lines.append(
                _("Trả lời yêu cầu đúng hạn %(n)s/%(N)s (%(p)s%%).")
                % {"n": cur.requests_in_time, "N": cur.requests_answered, "p": _num(cur.requests_in_time_pct)}
            )
        return lines

    def as_dict(self) -> dict[str, object]:
        return {
            "area": {"code": self.area.code, "name": self.area.name, "level": self.area.level},
            "current": asdict(self.current),
            "previous": asdict(self.previous),
            "days": [asdict(day) for day in self.days],
            "comparison": [
                {
                    "key": c.key,
                    "label": c.label,
                    "current": c.current,
                    "previous": c.previous,
                    "difference": c.difference,
                }
                for c in self.comparison
            ],
            "sentences": self.sentences(),
        }


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _period(rows: list[DayRow], start: date, end: date) -> PeriodFigures:
    inside = [row for row in rows if start <= row.day <= end]
    figures = PeriodFigures(start=start, end=end, days=len(inside))
    for row in inside:
        figures.new_community += row.new_community
        figures.new_quarantine += row.new_quarantine
        figures.new_other += row.new_other
        figures.new_late += row.new_late
        figures.released += row.released
        figures.died += row.died
        figures.alerts_handled += row.alerts_handled
        figures.alerts_in_time += row.alerts_handled_in_time
        figures.contacts_new += row.contacts_new
        figures.requests_new += row.requests_new
        figures.requests_answered += row.requests_answered
        figures.requests_in_time += row.requests_in_time
        if row.new_total > figures.peak:
            figures.peak, figures.peak_day = row.new_total, row.day
    figures.new_total = figures.new_community + figures.new_quarantine + figures.new_other
    figures.average = round(figures.new_total / figures.days, 1) if figures.days else 0.0
    last = inside[-1] if inside else None
    if last is not None:
        figures.home, figures.tier1, figures.tier2, figures.tier3 = last.home, last.tier1, last.tier2, last.tier3
        figures.treating, figures.quarantine = last.treating, last.quarantine
    figures.shares = {place: percent(getattr(figures, place), figures.treating) for place, _label in PLACES}
    figures.alerts_in_time_pct = percent(figures.alerts_in_time, figures.alerts_handled)
    figures.requests_in_time_pct = percent(figures.requests_in_time, figures.requests_answered)
    return figures


COMPARED = (
    ("new_total", gettext_lazy("Ca mắc mới")),
    ("average", gettext_lazy("Trung bình ca/ngày")),
    ("peak", gettext_lazy("Cao nhất trong ngày")),
    ("new_late", gettext_lazy("Ca nhập muộn")),
    ("treating", gettext_lazy("Đang điều trị (cuối kỳ)")),
    ("released", gettext_lazy("Khỏi bệnh")),
    ("died", gettext_lazy("Tử vong")),
    ("alerts_in_time_pct", gettext_lazy("Cảnh báo xử lý đúng hạn (%)")),
    ("contacts_new", gettext_lazy("F1 mới")),
    ("quarantine", gettext_lazy("F1 đang cách ly (cuối kỳ)")),
    ("requests_in_time_pct", gettext_lazy("Yêu cầu trả lời đúng hạn (%)")),
)


def previous_period(start: date, end: date) -> tuple[date, date]:
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def situation_report(*, area: Area, start: date, end: date) -> Report:
    """The report of `area` from `start` to `end` (both included) and of the period of equal length before it."""
    prev_start, prev_end = previous_period(start, end)
    rows = daily(area=area, start=min(prev_start, start - timedelta(days=6)), end=end)
    by_day = {row.day: row for row in rows}
    days = []
    for row in rows:
        if row.day < start:
            continue
        window = [by_day[row.day - timedelta(days=n)].new_total for n in range(7)]
        days.append(
            DayFigures(
                day=row.day, community=row.new_community, quarantine=row.new_quarantine, other=row.new_other,
                total=row.new_total, late=row.new_late, average7=round(sum(window) / 7, 1),
            )
        )  # fmt: skip
    current, previous = _period(rows, start, end), _period(rows, prev_start, prev_end)
    comparison = [Comparison(key, str(label), getattr(current, key), getattr(previous, key)) for key, label in COMPARED]
    return Report(area=area, current=current, previous=previous, days=days, comparison=comparison)
