"""Load demo F1/F2 (idempotent): for some of the demo wave's F0 in Phúc Xá (Ba Đình), about three household F1
each, a workplace F1, a few F2, daily checks and tests, and one household F1 who became F0 — all through the
real services, so the F1 list, the follow-up tabs, a household cluster and the transmission tree have data.

Runs after `seed_homecare` (it needs that wave's F0 and the demo users).
"""

import random
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from bench.synthetic import people
from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.cases.models import Case, Status, TestKind
from phongdich.contacts.models import Contact, ContactKind, Setting
from phongdich.contacts.services import contact_record
from phongdich.contacts.tracking import contact_check_record, contact_convert_to_case, contact_test_record
from phongdich.people.services import PersonData

WARD = "00001"  # Phường Phúc Xá, Quận Ba Đình
SEED = 2022


class Command(BaseCommand):
    help = "Nạp F1, F2 mẫu cho các F0 của đợt mẫu tại phường Phúc Xá (chạy sau seed_homecare)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=4, help="Số F0 được ghi F1 (mặc định 4)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        ward = Area.objects.get(code=WARD)
        sources = list(
            Case.objects.filter(ward=ward, status=Status.ACTIVE, confirmed_on__gte=today - timedelta(days=10))
            .select_related("person")
            .order_by("confirmed_on", "id")[: options["cases"]]
        )
        if not sources:
            self.stdout.write("Chưa có F0 mẫu ở phường Phúc Xá: chạy seed_homecare trước.")
            return
        if Contact.objects.filter(source_case__in=sources).exists():
            self.stdout.write("F1 mẫu đã có: không nạp thêm.")
            return
        officer = User.objects.get(username="phuong.phucxa")
        team = User.objects.filter(username="to.phucxa").first() or officer
        rnd = random.Random(SEED)
        # Residents of any ward give the names and phones; each F1 lives in the F0's household or in Phúc Xá.
        residents = iter(people(count=200, seed=SEED))
        with transaction.atomic():
            totals = self.seed(sources=sources, ward=ward, officer=officer, team=team, rnd=rnd, residents=residents,
                               today=today)  # fmt: skip
        self.stdout.write(
            "F1 mẫu: {f1} F1, {f2} F2, {checks} lần kiểm tra, {tests} xét nghiệm; 1 F1 đã chuyển F0 ({code}).".format(
                **totals
            )
        )

    def seed(self, *, sources: list[Case], ward: Area, officer: User, team: User, rnd: random.Random,
             residents: Any, today: date) -> dict[str, Any]:  # fmt: skip
        totals: dict[str, Any] = {"f1": 0, "f2": 0, "checks": 0, "tests": 0, "code": ""}

        def person(address: str) -> PersonData:
            r = next(residents)
            return PersonData(full_name=r.full_name, birth_date=r.birth_date, birth_year=r.birth_year, sex=r.sex,
                              phone=r.phone, address=address, ward=ward)  # fmt: skip

        first_f1: Contact | None = None
        for number, source in enumerate(sources):
            contacted_on = source.confirmed_on - timedelta(days=1)
            household = []
            for _member in range(3):
                doses = rnd.choice([None, 2, 3, 3])
                contact, _created = contact_record(
                    actor=officer, source_case=source, person_data=person(source.person.address), ward=ward,
                    setting=Setting.HOUSEHOLD, kind=rnd.choice([ContactKind.PHYSICAL, ContactKind.UNMASKED_NEAR]),
                    contacted_on=contacted_on, doses=doses,
                    last_dose_on=contacted_on - timedelta(days=rnd.randint(60, 200)) if doses else None,
                )  # fmt: skip
                household.append(contact)
            work, _created = contact_record(
                actor=team, source_case=source, person_data=person(""), ward=ward, setting=Setting.WORKPLACE,
                kind=ContactKind.MASKED_NEAR, contacted_on=contacted_on, doses=3,
                last_dose_on=contacted_on - timedelta(days=120),
            )  # fmt: skip
            totals["f1"] += 4
            for contact in [*household, work]:
                checked_on = min(today, contacted_on + timedelta(days=1))
                symptoms = rnd.choice([set(), set(), {"headache"}, {"sore_throat", "runny_nose"}])
                contact_check_record(actor=team, contact=contact, checked_on=checked_on, symptoms=symptoms,
                                     temperature=round(rnd.uniform(36.3, 37.4), 1))  # fmt: skip
                totals["checks"] += 1
            if number == 0:
                first_f1 = household[0]
                for _f2 in range(2):
                    contact_record(
                        actor=officer, source_contact=household[1], person_data=person(""), ward=ward,
                        setting=Setting.WORKPLACE, kind=ContactKind.UNMASKED_NEAR,
                        contacted_on=min(today, contacted_on + timedelta(days=1)),
                    )  # fmt: skip
                    totals["f2"] += 1
            else:
                contact_test_record(actor=team, contact=household[2], tested_on=min(today, contacted_on + timedelta(days=2)),
                                    kind=TestKind.RAPID_ANTIGEN, positive=False)  # fmt: skip
                totals["tests"] += 1
        assert first_f1 is not None
        # The household F1 who fell ill: fever and cough, a positive rapid test, registered as F0.
        sick_on = min(today, first_f1.contacted_on + timedelta(days=2))
        contact_check_record(actor=team, contact=first_f1, checked_on=sick_on, symptoms={"fever", "cough", "headache"},
                             temperature=38.4)  # fmt: skip
        contact_test_record(
            actor=officer, contact=first_f1, tested_on=sick_on, kind=TestKind.RAPID_ANTIGEN, positive=True
        )
        first_f1.refresh_from_db()
        case = contact_convert_to_case(actor=officer, contact=first_f1, expected_version=first_f1.version)
        totals.update(checks=totals["checks"] + 1, tests=totals["tests"] + 1, code=case.code)
        return totals
