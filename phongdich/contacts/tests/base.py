"""The contacts tests' base: the wards and users of PhongdichTestCase, an F0 in Phúc Xá, a frozen "now"."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from phongdich.cases.models import Case
from phongdich.contacts.models import Contact, ContactKind, Setting
from phongdich.contacts.services import contact_record
from phongdich.people.models import Person
from phongdich.people.services import PersonData
from phongdich.testing import PhongdichTestCase

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=HANOI)


class ContactsTestCase(PhongdichTestCase):
    # CV 762/BYT-DP is in force: F1 not fully vaccinated → 7 days, test day 7, then 3 days of self-monitoring.
    positive_on = date(2022, 3, 1)
    now = at(date(2022, 3, 3))

    def setUp(self) -> None:
        self.source = self.create_case(
            person=self.create_person(full_name="Trần Văn Nguồn", address="Số 12, ngõ 5 Phúc Xá"),
            confirmed_on=self.positive_on,
        )

    def person_data(self, name: str = "Lê Thị Tiếp", **fields: object) -> PersonData:
        values = {"full_name": name, "birth_year": 1990, "sex": "F", "ward": self.ward_a1, "phone": "0912345678",
                  "address": "Số 12 ngõ 5 Phúc Xá", **fields}  # fmt: skip
        return PersonData(**values)  # type: ignore[arg-type]

    def record(
        self, *, source_case: Case | None = None, source_contact: Contact | None = None, person: Person | None = None,
        name: str = "Lê Thị Tiếp", contacted_on: date | None = None, setting: str = Setting.HOUSEHOLD,
        actor=None, now: datetime | None = None, **extra: object,  # type: ignore[no-untyped-def]
    ) -> Contact:  # fmt: skip
        if source_case is None and source_contact is None:
            source_case = self.source
        identity = {key: extra.pop(key) for key in ("phone", "national_id", "address", "birth_year") if key in extra}
        contact, _created = contact_record(
            actor=actor or self.ward_officer_a1, source_case=source_case, source_contact=source_contact, person=person,
            person_data=None if person else self.person_data(name, **identity), setting=setting,
            kind=ContactKind.UNMASKED_NEAR,
            contacted_on=contacted_on or date(2022, 3, 1), now=now or self.now, **extra,
        )  # fmt: skip
        return contact
