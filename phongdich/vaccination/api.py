"""The vaccination API: one person's doses, status and next dose; recording a dose.

Schemas are per handler and uniquely named (see people/api.py for why).
"""

from datetime import date

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja import Status as HttpStatus

from phongdich.accounts.api_auth import require_perm
from phongdich.accounts.roles import Perm
from phongdich.people.selectors import person_for_user
from phongdich.vaccination.models import DoseKind, VaccinationStatus
from phongdich.vaccination.selectors import VaccinationRecord, person_vaccination_record
from phongdich.vaccination.services import dose_record

router = Router(tags=["vaccination"])


class VaccinationDoseOut(Schema):
    id: int
    given_on: date
    product: str
    product_label: str
    kind: DoseKind
    lot: str
    site: str
    given_by: str
    flags: list[str] = Field(description="Điểm cần xem lại theo quy định (mũi tiêm vẫn được ghi)")


class VaccinationProductOut(Schema):
    code: str
    label: str


class VaccinationNextOut(Schema):
    kind: DoseKind | None
    due_on: date | None = Field(description="Ngày sớm nhất được tiêm mũi tiếp theo")
    products: list[VaccinationProductOut]
    note: str


class VaccinationPersonOut(Schema):
    person_id: int
    status: VaccinationStatus
    doses: list[VaccinationDoseOut]
    primary_complete_on: date | None
    next: VaccinationNextOut
    priority: bool
    homebound: bool
    rule_sets: list[str]


def _record_out(record: VaccinationRecord) -> dict:
    summary = record.summary
    return {
        "person_id": record.person.pk,
        "status": summary.status if summary else VaccinationStatus.UNVACCINATED,
        "doses": [
            {
                "id": row.dose.pk,
                "given_on": row.dose.given_on,
                "product": row.dose.product,
                "product_label": row.product_label,
                "kind": row.dose.kind,
                "lot": row.dose.lot,
                "site": row.dose.site,
                "given_by": row.dose.given_by,
                "flags": list(row.flags),
            }
            for row in record.doses
        ],
        "primary_complete_on": summary.primary_complete_on if summary else None,
        "next": {
            "kind": (summary.next_kind or None) if summary else None,
            "due_on": summary.next_due_on if summary else None,
            "products": [{"code": code, "label": label} for code, label in record.next_products],
            "note": summary.next_note if summary else "",
        },
        "priority": summary.priority if summary else False,
        "homebound": summary.homebound if summary else False,
        "rule_sets": list(summary.rule_sets) if summary else [],
    }


@router.get("/persons/{int:person_id}", response=VaccinationPersonOut, summary="Tiêm chủng của một người")
def vaccination_person_api(request: HttpRequest, person_id: int) -> dict:
    user = require_perm(request, Perm.PERSON_VIEW)
    return _record_out(person_vaccination_record(user=user, person_id=person_id))


class VaccinationDoseIn(Schema):
    given_on: date
    product: str = Field(description="Mã hoặc tên vắc xin, ví dụ “pfizer”, “AstraZeneca”, “Vero Cell”")
    kind: DoseKind | None = Field(None, description="Bỏ trống để tự xác định theo các mũi trước")
    lot: str = Field("", max_length=40)
    site: str = Field("", max_length=200)
    given_by: str = Field("", max_length=200)


class VaccinationDoseCreatedOut(VaccinationPersonOut):
    dose_id: int
    warnings: list[str] = Field(description="Điểm cần xem lại của mũi vừa ghi (mũi tiêm vẫn được ghi)")


@router.post("/persons/{int:person_id}/doses", response={201: VaccinationDoseCreatedOut}, summary="Ghi một mũi tiêm")
def vaccination_dose_create_api(request: HttpRequest, person_id: int, payload: VaccinationDoseIn) -> HttpStatus[dict]:
    user = require_perm(request, Perm.VACCINATION_EDIT)
    person = person_for_user(user, person_id)
    dose, flags = dose_record(
        actor=user, person=person, given_on=payload.given_on, product=payload.product,
        kind=payload.kind.value if payload.kind else None, lot=payload.lot, site=payload.site,
        given_by=payload.given_by,
    )  # fmt: skip
    out = _record_out(person_vaccination_record(user=user, person_id=person.pk))
    return HttpStatus(201, {**out, "dose_id": dose.pk, "warnings": flags})
