"""Reads of allowances, always scoped to the user's area: entitlements, who is still owed, the public list."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Min, QuerySet, Sum
from django.http import Http404

from phongdich.accounts.models import User
from phongdich.areas.models import Area, Level
from phongdich.areas.scoping import area_covers_ward, in_area
from phongdich.support.models import AllowanceRate, Entitlement, Payment


def entitlements_visible_to(user: User) -> QuerySet[Entitlement]:
    """Entitlements in the user's area that are not cancelled."""
    if user.area is None:
        return Entitlement.objects.none()
    return Entitlement.objects.filter(in_area(user.area), cancelled_at__isnull=True)


def entitlement_for_user(user: User, entitlement_id: int) -> Entitlement:
    """The entitlement (cancelled ones too), or 404 when its ward lies outside the user's area."""
    entitlement = (
        Entitlement.objects.select_related("ward__parent", "rate", "team", "created_by")
        .filter(pk=entitlement_id)
        .first()
    )
    if entitlement is None or user.area is None or not area_covers_ward(user.area, entitlement.ward):
        raise Http404
    return entitlement


def payment_for_user(user: User, payment_id: int) -> Payment:
    payment = Payment.objects.select_related("entitlement__ward__parent").filter(pk=payment_id).first()
    if payment is None or user.area is None or not area_covers_ward(user.area, payment.entitlement.ward):
        raise Http404
    return payment


def _scoped(user: User, *, district_id: int | None, ward_id: int | None) -> QuerySet[Entitlement]:
    rows = entitlements_visible_to(user)
    if ward_id:
        rows = rows.filter(ward_id=ward_id)
    elif district_id:
        rows = rows.filter(ward__parent_id=district_id)
    return rows


def entitlement_list(
    *,
    user: User,
    district_id: int | None = None,
    ward_id: int | None = None,
    state: str = "",
    team_id: int | None = None,
) -> QuerySet[Entitlement]:
    """`state`: "owed" (not fully paid), "paid" (fully paid) or "" (all)."""
    rows = _scoped(user, district_id=district_id, ward_id=ward_id)
    if team_id:
        rows = rows.filter(team_id=team_id)
    if state == "owed":
        rows = rows.filter(paid__lt=F("amount"))
    elif state == "paid":
        rows = rows.filter(paid=F("amount"))
    return rows.select_related("ward__parent", "team", "rate").order_by("ward__code", "full_name", "start_on", "id")


@dataclass
class Totals:
    count: int
    amount: int
    paid: int

    @property
    def owed(self) -> int:
        return self.amount - self.paid


def entitlement_totals(rows: QuerySet[Entitlement]) -> Totals:
    sums = rows.order_by().aggregate(count=Count("id"), amount=Sum("amount"), paid=Sum("paid"))
    return Totals(sums["count"], sums["amount"] or 0, sums["paid"] or 0)


def entitlement_payments(entitlement: Entitlement) -> QuerySet[Payment]:
    return entitlement.payments.select_related("recorded_by", "cancelled_by").order_by("paid_on", "id")


# --- who is still owed -----------------------------------------------------------------------------

OWED_ORDERS = {"owed": "-owed", "oldest": "oldest"}


@dataclass
class OwedWard:
    ward: Area
    people: int
    entitlements: int
    owed: int
    oldest: date


def owed_by_ward(*, user: User, district_id: int | None = None, order: str = "owed") -> list[OwedWard]:
    """One row per ward with money still owed: people, amount, the earliest end of an unpaid service."""
    rows = (
        _scoped(user, district_id=district_id, ward_id=None)
        .filter(paid__lt=F("amount"))
        .order_by()
        .values("ward_id")
        .annotate(
            entitlements=Count("id"),
            people=Count("person_key", distinct=True),
            owed=Sum(F("amount") - F("paid")),
            oldest=Min("end_on"),
        )
    )
    wards = Area.objects.select_related("parent").in_bulk([r["ward_id"] for r in rows])
    result = [OwedWard(wards[r["ward_id"]], r["people"], r["entitlements"], r["owed"], r["oldest"]) for r in rows]
    if order == "oldest":
        result.sort(key=lambda w: (w.oldest, -w.owed, w.ward.code))
    else:
        result.sort(key=lambda w: (-w.owed, w.oldest, w.ward.code))
    return result


def owed_people(
    *, user: User, district_id: int | None = None, ward_id: int | None = None, order: str = "owed"
) -> QuerySet[Entitlement]:
    """Entitlements not fully paid, most owed first, or the oldest service first."""
    rows = (
        _scoped(user, district_id=district_id, ward_id=ward_id)
        .filter(paid__lt=F("amount"))
        .annotate(owed_amount=F("amount") - F("paid"))
        .select_related("ward__parent", "team", "rate")
    )
    if order == "oldest":
        return rows.order_by("end_on", "-owed_amount", "id")
    return rows.order_by("-owed_amount", "end_on", "id")


# --- the public transparency list ------------------------------------------------------------------


def public_ward(code: str) -> Area:
    ward = Area.objects.select_related("parent").filter(code=code, level=Level.WARD).first()
    if ward is None:
        raise Http404
    return ward


def public_entitlements(ward: Area) -> QuerySet[Entitlement]:
    return (
        Entitlement.objects.filter(ward=ward, cancelled_at__isnull=True)
        .select_related("team", "rate")
        .order_by("team__name", "full_name", "start_on", "id")
    )


# --- rates -----------------------------------------------------------------------------------------


def rate_list() -> QuerySet[AllowanceRate]:
    return AllowanceRate.objects.annotate(used=Count("entitlements")).order_by("beneficiary", "-valid_from", "name")


def rate_by_id(rate_id: int) -> AllowanceRate:
    rate = AllowanceRate.objects.filter(pk=rate_id).first()
    if rate is None:
        raise Http404
    return rate


def rate_choices(*, beneficiary: str = "") -> QuerySet[AllowanceRate]:
    rates = AllowanceRate.objects.order_by("beneficiary", "-valid_from", "name")
    return rates.filter(beneficiary=beneficiary) if beneficiary else rates
