"""The reporting day: Hà Nội counts a day from 18:00 the evening before to 18:00 (`PHONGDICH_REPORT_DAY_ENDS_AT`).

An entry made at 18:05 on the 3rd counts to the 4th; at 17:59 on the 3rd, to the 3rd. "00:00" means calendar days.
The window of day D is [D−1 at the boundary, D at the boundary) in local time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone


def day_ends_at() -> time:
    hours, minutes = (int(part) for part in str(settings.PHONGDICH_REPORT_DAY_ENDS_AT).split(":"))
    return time(hours % 24, minutes)


def report_day_shift() -> timedelta:
    """What to add to a local time so that its calendar date is its report day (6 h for an 18:00 boundary)."""
    ends = day_ends_at()
    if ends == time(0, 0):
        return timedelta(0)
    return timedelta(days=1) - timedelta(hours=ends.hour, minutes=ends.minute)


def report_day(moment: datetime) -> date:
    """The report day whose window contains `moment`."""
    return (timezone.localtime(moment) + report_day_shift()).date()


def current_report_day(now: datetime | None = None) -> date:
    return report_day(now or timezone.now())


def window_start(day: date) -> datetime:
    """The first instant of report day `day` (aware)."""
    midnight = timezone.make_aware(datetime.combine(day, time(0, 0)))
    return midnight - report_day_shift()


def window_end(day: date) -> datetime:
    """The instant after report day `day` (the start of the next one)."""
    return window_start(day + timedelta(days=1))
