"""Writes of the care app: stock in and out, packages A/B/C to F0, facilities, moves between home and facilities.

Counters that several officers change at once (a stock's balance, a facility's occupied beds, an F0's
version) change only through one conditional UPDATE whose row count says whether it applied; the CHECK
constraints on the tables make a negative balance or an overbooked facility impossible even so.
"""

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.accounts.roles import Role
from phongdich.areas.models import Area, Level
from phongdich.areas.scoping import area_contains
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record, diff
from phongdich.care.models import (
    Dispensing,
    Facility,
    MovementKind,
    Package,
    Stock,
    StockMovement,
    Tier,
    Transfer,
    TransferKind,
)
from phongdich.care.selectors import NearbyFacility, facility_nearest_free
from phongdich.cases.models import Case, Place, Severity, Status
from phongdich.cases.services import age_at
from phongdich.reports.tallies import tallies_touch
from phongdich.rules.registry import NoRuleInForce, RuleSet, rule_set_in_force
from phongdich.vntext import nfc

MEDICINE = "medicine"
# Who counts as health staff for packages a community-team member may not hand out ("staff_only").
HEALTH_STAFF = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.WARD_OFFICER, Role.DOCTOR})
MAX_RECEIVE = 100_000


def _stale() -> ValidationError:
    return ValidationError(_("F0 này vừa được người khác cập nhật. Hãy tải lại trang để xem thay đổi."))


def _check_case_in_area(*, actor: User, case: Case) -> None:
    if actor.area is None or not area_contains(actor.area, case.ward):
        raise ValidationError(_("F0 này không thuộc địa bàn của bạn."))


# --- medicine packages -----------------------------------------------------------------------------


def package_rules(*, package: str, on: date) -> tuple[RuleSet, dict[str, Any]]:
    """The rule set of kind "medicine" in force on `on` and what it says about `package`."""
    try:
        rule_set = rule_set_in_force(kind=MEDICINE, on=on)
    except NoRuleInForce as error:
        raise ValidationError(
            {"package": _("Chưa có quy định về túi thuốc áp dụng ngày %(day)s.") % {"day": f"{on:%d/%m/%Y}"}}
        ) from error
    rules = rule_set.params["packages"].get(package)
    if package not in Package.values or rules is None:
        raise ValidationError({"package": _("Túi thuốc “%(p)s” không có trong quy định.") % {"p": package}})
    return rule_set, rules


def _valid_prescriber(*, doctor: User, case: Case) -> bool:
    return (
        doctor.role == Role.DOCTOR
        and doctor.is_active
        and doctor.area is not None
        and area_contains(doctor.area, case.ward)
    )


def dispensing_check(*, case: Case, package: str, on: date, prescribed_by: User | None, consent_signed: bool) -> None:
    """Refuse, with every reason at once, a package that the rule set in force on `on` does not allow."""
    rule_set, rules = package_rules(package=package, on=on)
    source = _("theo %(document)s ngày %(day)s") % {
        "document": rule_set.document,
        "day": f"{rule_set.issued_on:%d/%m/%Y}",
    }
    name = rules["name"]
    person = case.person
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(f"{message.rstrip('.')} ({source}).")

    if case.status != Status.ACTIVE:
        refuse("package", _("F0 không còn đang điều trị (%(status)s).") % {"status": case.get_status_display()})
    if rules["home_only"] and case.place != Place.HOME:
        refuse("package", _("%(name)s dành cho F0 điều trị tại nhà; F0 đang ở cơ sở điều trị.") % {"name": name})
    age = age_at(birth_year=person.birth_year, birth_date=person.birth_date, on=on)
    if age is None:
        age = case.age
    if rules["min_age"] is not None:
        if age is None:
            refuse(
                "package",
                _("Chưa có ngày/năm sinh của F0: không xác định được tuổi (%(name)s chỉ dùng từ %(min)s tuổi).")
                % {"name": name, "min": rules["min_age"]},
            )
        elif age < rules["min_age"]:
            refuse(
                "package",
                _("%(name)s chỉ dùng cho người từ %(min)s tuổi; F0 mới %(age)s tuổi.")
                % {"name": name, "min": rules["min_age"], "age": age},
            )
    max_days = rules["max_days_since_positive"]
    days = (on - case.confirmed_on).days
    if max_days is not None and days > max_days:
        refuse(
            "package",
            _("Đã quá %(max)s ngày kể từ ngày dương tính %(day)s (đã %(days)s ngày).")
            % {"max": max_days, "day": f"{case.confirmed_on:%d/%m/%Y}", "days": days},
        )
    if "pregnant" in rules["excludes"] and person.pregnant:
        refuse("package", _("%(name)s không dùng cho phụ nữ đang mang thai.") % {"name": name})
    if "breastfeeding" in rules["excludes"] and case.breastfeeding:
        refuse("package", _("%(name)s không dùng cho phụ nữ đang cho con bú.") % {"name": name})
    severities = rules["severities"]
    if severities and case.severity and case.severity not in severities:
        refuse(
            "package",
            _("%(name)s chỉ dùng cho F0 mức độ %(allowed)s; F0 đang ở mức “%(level)s”.")
            % {
                "name": name,
                "allowed": ", ".join(str(Severity(s).label).lower() for s in severities),
                "level": case.get_severity_display(),
            },
        )
    if rules["risk_factor_required"] and not case.high_risk:
        refuse(
            "package",
            _("%(name)s chỉ dùng cho F0 có ít nhất một yếu tố nguy cơ (từ 50 tuổi, mang thai hoặc có bệnh nền).")
            % {"name": name},
        )
    if rules["consent_required"] and not consent_signed:
        refuse("consent_signed", _("Chưa có cam kết đồng ý ký tên của F0 (bắt buộc với %(name)s).") % {"name": name})
    if prescribed_by is None:
        if rules["prescription_required"]:
            refuse("prescribed_by", _("%(name)s phải do bác sĩ kê đơn: chọn bác sĩ kê đơn.") % {"name": name})
    elif not _valid_prescriber(doctor=prescribed_by, case=case):
        refuse("prescribed_by", _("Người kê đơn phải là bác sĩ phụ trách địa bàn của F0."))
    earlier = list(case.dispensings.filter(package=package).order_by("dispensed_at"))
    if len(earlier) >= rules["max_per_case"]:
        refuse(
            "package",
            _("F0 đã được cấp %(name)s ngày %(day)s.")
            % {"name": name, "day": f"{timezone.localtime(earlier[-1].dispensed_at):%d/%m/%Y}"},
        )
    if errors:
        raise ValidationError(errors)


def _stock_take(*, package: str, ward: Area) -> Area:
    """Take one package from the ward's health station, else from its district; one conditional UPDATE each."""
    for area_id in (ward.pk, ward.parent_id):
        taken = Stock.objects.filter(area_id=area_id, package=package, balance__gte=1).update(
            balance=F("balance") - 1, dispensed=F("dispensed") + 1
        )
        if taken:
            return ward if area_id == ward.pk else Area.objects.get(pk=area_id)
    district = Area.objects.get(pk=ward.parent_id)
    raise ValidationError(
        {
            "package": _("Hết túi thuốc %(p)s tại trạm y tế %(ward)s và tại kho %(district)s.")
            % {"p": package, "ward": ward.name, "district": district.name}
        }
    )


@transaction.atomic
def medicine_dispense(
    *,
    actor: User,
    case: Case,
    package: str,
    prescribed_by: User | None = None,
    consent_signed: bool = False,
    note: str = "",
) -> Dispensing:
    """Hand one package to an F0, from the ward station's stock or else the district's."""
    _check_case_in_area(actor=actor, case=case)
    on = timezone.localdate()
    # One F0's dispensings go one at a time (row lock on PostgreSQL; SQLite writes one at a time anyway),
    # so two officers cannot both hand out the single course the rules allow.
    current = Case.objects.select_for_update(of=("self",)).select_related("person", "ward").get(pk=case.pk)
    dispensing_check(case=current, package=package, on=on, prescribed_by=prescribed_by, consent_signed=consent_signed)
    rule_set, rules = package_rules(package=package, on=on)
    if rules["staff_only"] and actor.role not in HEALTH_STAFF:
        raise ValidationError(
            {
                "package": _("%(name)s do nhân viên y tế cấp phát, không phải thành viên tổ cộng đồng.")
                % {"name": rules["name"]}
            }
        )
    from_area = _stock_take(package=package, ward=current.ward)
    dispensing = Dispensing.objects.create(
        case=current, package=package, rule_set=rule_set.code, dispensed_by=actor, from_area=from_area,
        prescribed_by=prescribed_by, consent_signed=consent_signed, note=nfc(note),
    )  # fmt: skip
    StockMovement.objects.create(
        area=from_area, package=package, kind=MovementKind.DISPENSED, quantity=-1, by=actor,
        note=current.code, dispensing=dispensing,
    )  # fmt: skip
    audit_record(
        actor=actor, event=Event.CREATE, target_type="dispensing", target_id=dispensing.pk, area=current.ward,
        changes={"case": current.pk, "package": package, "rule_set": rule_set.code, "from_area": from_area.code,
                 "prescribed_by": prescribed_by, "consent_signed": consent_signed, "note": dispensing.note},
    )  # fmt: skip
    return dispensing


# --- stock ------------------------------------------------------------------------------------------


def _check_stock_area(*, actor: User, area: Area, package: str) -> None:
    if area.level not in (Level.WARD, Level.DISTRICT):
        raise ValidationError({"area": _("Kho thuốc là của trạm y tế phường/xã hoặc của quận/huyện.")})
    if actor.area is None or not area_contains(actor.area, area):
        raise ValidationError({"area": _("Kho thuốc phải thuộc địa bàn của bạn.")})
    if package not in Package.values:
        raise ValidationError({"package": _("Túi thuốc không hợp lệ.")})


def _stock_row(*, area: Area, package: str) -> Stock:
    try:
        with transaction.atomic():
            return Stock.objects.get_or_create(area=area, package=package)[0]
    except IntegrityError:  # created by someone else at the same moment
        return Stock.objects.get(area=area, package=package)


@transaction.atomic
def stock_receive(*, actor: User, area: Area, package: str, quantity: int, note: str = "") -> Stock:
    _check_stock_area(actor=actor, area=area, package=package)
    if not 0 < quantity <= MAX_RECEIVE:
        raise ValidationError({"quantity": _("Số túi nhận vào phải từ 1 đến %(max)s.") % {"max": f"{MAX_RECEIVE:,}"}})
    stock = _stock_row(area=area, package=package)
    Stock.objects.filter(pk=stock.pk).update(balance=F("balance") + quantity, received=F("received") + quantity)
    movement = StockMovement.objects.create(
        area=area, package=package, kind=MovementKind.RECEIVED, quantity=quantity, by=actor, note=nfc(note)
    )
    audit_record(
        actor=actor, event=Event.CREATE, target_type="stock_movement", target_id=movement.pk, area=area,
        changes={"package": package, "kind": MovementKind.RECEIVED, "quantity": quantity, "note": movement.note},
    )  # fmt: skip
    stock.refresh_from_db()
    return stock


@transaction.atomic
def stock_adjust(*, actor: User, area: Area, package: str, quantity: int, note: str) -> Stock:
    """Correct a balance after a count (signed `quantity`); never below zero."""
    _check_stock_area(actor=actor, area=area, package=package)
    note = nfc(note)
    if quantity == 0 or abs(quantity) > MAX_RECEIVE:
        raise ValidationError({"quantity": _("Số túi điều chỉnh phải khác 0.")})
    if not note:
        raise ValidationError({"note": _("Ghi lý do điều chỉnh (ví dụ: kiểm kê ngày …).")})
    stock = _stock_row(area=area, package=package)
    changed = Stock.objects.filter(pk=stock.pk, balance__gte=max(0, -quantity)).update(
        balance=F("balance") + quantity, adjusted=F("adjusted") + quantity
    )
    if not changed:
        raise ValidationError({"quantity": _("Tồn kho không đủ để giảm %(n)s túi.") % {"n": -quantity}})
    movement = StockMovement.objects.create(
        area=area, package=package, kind=MovementKind.ADJUSTED, quantity=quantity, by=actor, note=note
    )
    audit_record(
        actor=actor, event=Event.CREATE, target_type="stock_movement", target_id=movement.pk, area=area,
        changes={"package": package, "kind": MovementKind.ADJUSTED, "quantity": quantity, "note": note},
    )  # fmt: skip
    stock.refresh_from_db()
    return stock


# --- facilities ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacilityData:
    code: str
    name: str
    tier: int
    district: Area
    beds: int
    icu_beds: int = 0
    icu_occupied: int = 0
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    active: bool = True


def _check_facility(*, actor: User, data: FacilityData, facility: Facility | None) -> None:
    if data.district.level != Level.DISTRICT:
        raise ValidationError({"district": _("Chọn quận/huyện của cơ sở.")})
    if actor.area is None or not area_contains(actor.area, data.district):
        raise ValidationError({"district": _("Quận/huyện của cơ sở phải thuộc địa bàn của bạn.")})
    if not data.code or not data.name:
        raise ValidationError({"name": _("Mã và tên cơ sở không được để trống.")})
    if data.tier not in Tier.values:
        raise ValidationError({"tier": _("Tầng điều trị không hợp lệ.")})
    if data.icu_occupied > data.icu_beds:
        raise ValidationError({"icu_occupied": _("Số đang hồi sức tích cực không được vượt số giường hồi sức.")})
    if (data.lat is None) != (data.lon is None):
        raise ValidationError({"lat": _("Nhập cả vĩ độ và kinh độ, hoặc để trống cả hai.")})
    if data.lat is not None and data.lon is not None and not (-90 <= data.lat <= 90 and -180 <= data.lon <= 180):
        raise ValidationError({"lat": _("Toạ độ không hợp lệ.")})
    duplicate = Facility.objects.filter(code=data.code)
    if facility is not None:
        duplicate = duplicate.exclude(pk=facility.pk)
    if duplicate.exists():
        raise ValidationError({"code": _("Đã có cơ sở mã “%(code)s”.") % {"code": data.code}})


def _clean(data: FacilityData) -> FacilityData:
    return FacilityData(
        **{**{f.name: getattr(data, f.name) for f in fields(data)}, "code": data.code.strip().upper(),
           "name": nfc(data.name), "address": nfc(data.address)}
    )  # fmt: skip


@transaction.atomic
def facility_create(*, actor: User, data: FacilityData, occupied: int = 0) -> Facility:
    """A new facility; `occupied` counts patients already there who are not F0 managed in phongdich."""
    data = _clean(data)
    _check_facility(actor=actor, data=data, facility=None)
    if not 0 <= occupied <= data.beds:
        raise ValidationError({"beds": _("Số đang điều trị không được vượt số giường.")})
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    facility = Facility.objects.create(**values, occupied=occupied)
    audit_record(
        actor=actor, event=Event.CREATE, target_type="facility", target_id=facility.pk, area=data.district,
        changes={**values, "occupied": occupied},
    )  # fmt: skip
    return facility


@transaction.atomic
def facility_update(*, actor: User, facility: Facility, data: FacilityData) -> Facility:
    """Edit a facility. `occupied` is never written from what the form read: only transfers move it, and
    fewer beds than patients is refused by the same conditional UPDATE."""
    data = _clean(data)
    if actor.area is None or not area_contains(actor.area, facility.district):
        raise ValidationError(_("Cơ sở này không thuộc địa bàn của bạn."))
    _check_facility(actor=actor, data=data, facility=facility)
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    changes = diff(facility, values)
    if not changes:
        return facility
    updated = Facility.objects.filter(pk=facility.pk, occupied__lte=data.beds).update(**values)
    if not updated:
        raise ValidationError({"beds": _("Số giường không được ít hơn số người đang điều trị tại cơ sở.")})
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="facility", target_id=facility.pk, area=data.district,
        changes=changes,
    )  # fmt: skip
    facility.refresh_from_db()
    return facility


# --- moves between home and facilities ------------------------------------------------------------


class FacilityFull(ValidationError):
    """The chosen facility has no free bed; `suggestions` are the nearest of its tier that have one."""

    def __init__(self, *, facility: Facility, suggestions: list[NearbyFacility]) -> None:
        if suggestions:
            listed = "; ".join(s.describe() for s in suggestions)
            message = _("%(name)s đã hết giường. Cơ sở tầng %(tier)s gần nhất còn giường: %(list)s.") % {
                "name": facility.name,
                "tier": facility.tier,
                "list": listed,
            }
        else:
            message = _("%(name)s đã hết giường, và không còn cơ sở tầng %(tier)s nào có giường trống.") % {
                "name": facility.name,
                "tier": facility.tier,
            }
        super().__init__({"facility": message})
        self.facility = facility
        self.suggestions = suggestions


def _bump_case(*, case: Case, version: int, **values: Any) -> None:
    moved = Case.objects.filter(pk=case.pk, version=version).update(version=F("version") + 1, **values)
    if not moved:
        raise _stale()


def _release_bed(facility_id: int) -> None:
    Facility.objects.filter(pk=facility_id, occupied__gt=0).update(occupied=F("occupied") - 1)


def _take_bed(facility_id: int) -> bool:
    return bool(
        Facility.objects.filter(pk=facility_id, active=True, occupied__lt=F("beds")).update(occupied=F("occupied") + 1)
    )


def _expected(case: Case, expected_version: int | None) -> int:
    # The F0 as passed in must be the one the officer saw: its facility is the bed to release.
    if expected_version is not None and expected_version != case.version:
        raise _stale()
    return case.version


@transaction.atomic
def case_transfer(
    *, actor: User, case: Case, facility: Facility, reason: str, expected_version: int | None = None
) -> Transfer:
    """Move an F0 from home or another facility into `facility`, taking one of its beds."""
    _check_case_in_area(actor=actor, case=case)
    version = _expected(case, expected_version)
    reason = nfc(reason)
    if not reason:
        raise ValidationError({"reason": _("Ghi lý do chuyển.")})
    if case.status != Status.ACTIVE:
        raise ValidationError(_("F0 không còn đang điều trị (%(s)s).") % {"s": case.get_status_display()})
    if not facility.active:
        raise ValidationError({"facility": _("%(name)s đang tạm ngừng tiếp nhận.") % {"name": facility.name}})
    old_id = case.facility_id
    if old_id == facility.pk:
        raise ValidationError({"facility": _("F0 đang điều trị tại %(name)s.") % {"name": facility.name}})
    # The F0 row first (a second transfer of the same F0 stops here), then facility rows in id order so
    # that two opposite transfers cannot deadlock.
    tallies_touch(case=case)
    _bump_case(case=case, version=version, place=Place.FACILITY, facility=facility)
    if old_id is not None and old_id < facility.pk:
        _release_bed(old_id)
    if not _take_bed(facility.pk):
        suggestions = facility_nearest_free(tier=facility.tier, near=case.ward, exclude_id=facility.pk)
        raise FacilityFull(facility=facility, suggestions=suggestions)
    if old_id is not None and old_id > facility.pk:
        _release_bed(old_id)
    transfer = Transfer.objects.create(
        case=case, kind=TransferKind.TRANSFER if old_id else TransferKind.ADMIT, from_facility_id=old_id,
        to_facility=facility, by=actor, reason=reason, case_version=version,
    )  # fmt: skip
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="case", target_id=case.pk, area=case.ward,
        changes={"place": [case.place, Place.FACILITY], "facility": [old_id, facility.pk]},
        extra={"transfer": transfer.pk, "kind": transfer.kind, "reason": reason},
    )  # fmt: skip
    case.place, case.facility, case.version = Place.FACILITY, facility, version + 1
    return transfer


@transaction.atomic
def case_discharge_home(*, actor: User, case: Case, reason: str, expected_version: int | None = None) -> Transfer:
    """Send an F0 home from its facility, freeing the bed."""
    _check_case_in_area(actor=actor, case=case)
    version = _expected(case, expected_version)
    reason = nfc(reason)
    if not reason:
        raise ValidationError({"reason": _("Ghi lý do ra viện.")})
    old_id = case.facility_id
    if old_id is None:
        raise ValidationError({"facility": _("F0 đang điều trị tại nhà.")})
    tallies_touch(case=case)
    _bump_case(case=case, version=version, place=Place.HOME, facility=None)
    _release_bed(old_id)
    transfer = Transfer.objects.create(
        case=case, kind=TransferKind.DISCHARGE, from_facility_id=old_id, to_facility=None, by=actor, reason=reason,
        case_version=version,
    )  # fmt: skip
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="case", target_id=case.pk, area=case.ward,
        changes={"place": [case.place, Place.HOME], "facility": [old_id, None]},
        extra={"transfer": transfer.pk, "kind": transfer.kind, "reason": reason},
    )  # fmt: skip
    case.place, case.facility, case.version = Place.HOME, None, version + 1
    return transfer
