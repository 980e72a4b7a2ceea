"""Reads of one person's vaccination: their doses with what the rules say of each, the summary, the certificate."""

from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.utils import timezone

from phongdich.accounts.models import User
from phongdich.people.models import Person
from phongdich.people.selectors import person_for_user
from phongdich.rules.vaccination import DoseFact, dose_check, products_in_force
from phongdich.vaccination.models import Dose, PersonVaccination, VaccinationCertificate


@dataclass(frozen=True)
class DoseRow:
    dose: Dose
    product_label: str
    # What the rules say of this dose given the ones before it (doubtful, yet recorded).
    flags: tuple[str, ...]


@dataclass(frozen=True)
class VaccinationRecord:
    person: Person
    doses: tuple[DoseRow, ...]
    summary: PersonVaccination | None
    next_products: tuple[tuple[str, str], ...]  # (code, label) of the products allowed for the next dose
    certificate: VaccinationCertificate | None


def product_labels(*, on: date) -> dict[str, str]:
    return dict(products_in_force(on=on))


def _label(code: str, on: date) -> str:
    return product_labels(on=on).get(code) or product_labels(on=timezone.localdate()).get(code) or code


def person_vaccination_record(*, user: User, person_id: int) -> VaccinationRecord:
    """One person's record (404 outside the user's area): four queries whatever the number of doses."""
    person = person_for_user(user, person_id)
    doses = list(Dose.objects.filter(person=person).order_by("given_on"))
    rows = []
    for index, dose in enumerate(doses):
        previous = [DoseFact(given_on=d.given_on, product=d.product, kind=d.kind) for d in doses[:index]]
        fact = DoseFact(given_on=dose.given_on, product=dose.product, kind=dose.kind)
        problems = dose_check(birth_date=person.birth_date, birth_year=person.birth_year, previous=previous, dose=fact)
        rows.append(DoseRow(dose=dose, product_label=_label(dose.product, dose.given_on),
                            flags=tuple(message for _field, message, _blocking in problems)))  # fmt: skip
    summary = PersonVaccination.objects.filter(pk=person.pk).first()
    today = timezone.localdate()
    next_products: tuple[tuple[str, str], ...] = ()
    if summary is not None:
        on = max(summary.next_due_on or today, today)
        next_products = tuple((code, _label(code, on)) for code in summary.next_products)
    certificate = VaccinationCertificate.objects.filter(person=person).first()
    return VaccinationRecord(
        person=person, doses=tuple(rows), summary=summary, next_products=next_products, certificate=certificate
    )


def dose_for_user(*, user: User, person_id: int, dose_id: int) -> Dose:
    """A dose of a person the user may see, or 404."""
    person = person_for_user(user, person_id)
    dose = Dose.objects.select_related("ward").filter(pk=dose_id, person=person).first()
    if dose is None:
        raise Http404
    return dose


def vaccination_certificate_by_token(token: str) -> VaccinationCertificate | None:
    """The certificate behind a QR code, for the public check page (no account)."""
    if not token or len(token) > 64:
        return None
    return VaccinationCertificate.objects.select_related("person").filter(token=token).first()
