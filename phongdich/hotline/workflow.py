"""The request workflow in one place: which status may follow which, and how "time left" reads."""

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from phongdich.hotline.models import Status

# from → the statuses it may move to. "assigned → assigned" is a reassignment; answered, closed and
# transferred requests can be reopened (→ in_progress) when the caller was not helped.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.ASSIGNED, Status.IN_PROGRESS, Status.ANSWERED, Status.TRANSFERRED}),
    Status.ASSIGNED: frozenset({Status.ASSIGNED, Status.IN_PROGRESS, Status.ANSWERED, Status.TRANSFERRED}),
    Status.IN_PROGRESS: frozenset({Status.ASSIGNED, Status.ANSWERED, Status.TRANSFERRED}),
    Status.ANSWERED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.TRANSFERRED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
}

# The button that performs each move, as the detail page and the API name it.
ACTIONS: dict[str, str] = {
    "assign": Status.ASSIGNED,
    "start": Status.IN_PROGRESS,
    "answer": Status.ANSWERED,
    "close": Status.CLOSED,
    "transfer": Status.TRANSFERRED,
    "reopen": Status.IN_PROGRESS,
}
REOPENED_FROM = (Status.ANSWERED, Status.CLOSED, Status.TRANSFERRED)


def transition_allowed(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS.get(from_status, frozenset())


def actions_available(status: str) -> list[str]:
    """The actions whose move is allowed from `status`, in the order the page shows them. "start" and "reopen" both
    lead to in_progress: "reopen" is the name of that move from a finished request."""
    actions = []
    for action, target in ACTIONS.items():
        if action in ("start", "reopen") and (action == "reopen") != (status in REOPENED_FROM):
            continue
        if transition_allowed(status, target):
            actions.append(action)
    return actions


def _duration(minutes: int) -> str:
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d ngày", "%(n)d ngày", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d giờ", "%(n)d giờ", hours) % {"n": hours})
    if mins or not parts:
        parts.append(ngettext("%(n)d phút", "%(n)d phút", mins) % {"n": mins})
    return " ".join(parts[:2])


def time_left_label(due_at: datetime, now: datetime) -> str:
    """ "còn 1 giờ 20 phút" before the deadline, "quá hạn 35 phút" after it (at the deadline: quá hạn 0 phút)."""
    seconds = (due_at - now).total_seconds()
    if seconds > 0:
        return _("còn %(time)s") % {"time": _duration(int(seconds // 60))}
    return _("quá hạn %(time)s") % {"time": _duration(int(-seconds // 60))}
