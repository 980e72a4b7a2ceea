"""Load the demo's current wave (idempotent): F0 confirmed in the last ten days in Quận Ba Đình, with
twice-daily health declarations through the real services, so the daily view, the alert queue and the
follow-up queue have something to show. Prints one patient's personal link to try the patient's page.

Runs after `seed_demo` and `seed_care` (it needs the demo users and facilities).
"""

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import F
from django.utils import timezone

from bench.synthetic import people
from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record
from phongdich.cases.models import Case, Status, TestKind
from phongdich.cases.services import CaseIntake, Observation, case_register
from phongdich.monitoring.models import Channel, Declaration
from phongdich.monitoring.services import declaration_submit, patient_link_create
from phongdich.people.services import PersonData, person_create
from phongdich.rules.triage import Vitals

DISTRICT = "001"  # Quận Ba Đình
WAVE_DAYS = 10


def _vitals(rnd: random.Random, *, unwell: bool) -> Vitals:
    if unwell:
        return Vitals(spo2=rnd.choice([93, 94, 95, 96]), resp_rate=rnd.choice([20, 22, 24]), pulse=rnd.randint(95, 118),
                      temperature=round(rnd.uniform(37.8, 39.2), 1), symptoms=frozenset({"dyspnoea"}))  # fmt: skip
    return Vitals(spo2=rnd.choice([97, 98, 98, 99]), resp_rate=rnd.randint(14, 18), pulse=rnd.randint(68, 92),
                  temperature=round(rnd.uniform(36.4, 37.4), 1))  # fmt: skip


class Command(BaseCommand):
    help = "Nạp đợt F0 mẫu đang điều trị tại nhà (10 ngày gần đây) với phiếu khai báo sức khỏe."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=120)

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        district = Area.objects.get(code=DISTRICT)
        wards = list(Area.objects.filter(parent=district).order_by("code"))
        recent = Case.objects.filter(ward__in=wards, confirmed_on__gte=today - timedelta(days=WAVE_DAYS))
        if Declaration.objects.filter(case__in=recent).exists():
            self.stdout.write("Đợt F0 mẫu hiện tại đã có: không nạp thêm.")
            return
        officer = User.objects.get(username="phuong.phucxa")
        self.close_past_wave(actor=User.objects.get(username="admin"), today=today)
        district_officer = User.objects.get(username="quan.badinh")
        rnd = random.Random(2026)
        now = timezone.now()
        created = declared = 0
        station_has_one = False
        # Ba Đình holds ~3 % of the city: draw enough residents to find `cases` of them.
        residents = people(count=options["cases"] * 40, seed=int(today.strftime("%Y%m%d")))
        for number, resident in enumerate(r for r in residents if r.district_code == DISTRICT):
            if number >= options["cases"]:
                break
            ward = Area.objects.get(code=resident.ward_code)
            actor = officer if ward.code == officer.area.code else district_officer
            person = person_create(
                actor=actor,
                data=PersonData(full_name=resident.full_name, birth_date=resident.birth_date, birth_year=resident.birth_year,
                                sex=resident.sex, national_id=None, phone=resident.phone, address=resident.address,
                                ward=ward, pregnant=resident.pregnant),
            )  # fmt: skip
            confirmed_on = today - timedelta(days=rnd.randint(0, WAVE_DAYS - 1))
            intake = CaseIntake(vaccine_doses=rnd.choice([0, 2, 2, 3, 3, 3]),
                                observation=Observation(spo2=rnd.choice([96, 97, 98, 99]), resp_rate=rnd.randint(14, 20)))  # fmt: skip
            case = case_register(
                actor=actor, person=person, ward=ward, confirmed_on=confirmed_on, test_kind=TestKind.RAPID_ANTIGEN,
                intake=intake,
            )  # fmt: skip
            created += 1
            # About one in seven gets worse; the station's first patient always does, so its queue has an alert.
            first_of_station = ward == officer.area and not station_has_one
            station_has_one = station_has_one or first_of_station
            unwell_from = rnd.randint(0, 2) if rnd.random() < 0.15 or first_of_station else None
            silent = rnd.random() < 0.12  # stopped declaring: the follow-up queue must find them
            for day in range((today - confirmed_on).days + 1):
                for hour in (8, 17):
                    moment = timezone.make_aware(datetime.combine(confirmed_on + timedelta(days=day), time(hour)))
                    if moment > now or (silent and day >= 1):
                        continue
                    by_staff = rnd.random() < 0.4  # "khai hộ": the station types the sheet for the patient
                    declaration_submit(
                        case=case, vitals=_vitals(rnd, unwell=unwell_from is not None and day >= unwell_from),
                        declared_at=moment, channel=Channel.STAFF if by_staff else Channel.LINK,
                        entered_by=actor if by_staff else None,
                    )  # fmt: skip
                    declared += 1
        case = recent.filter(ward=officer.area).first() or recent.first()
        self.stdout.write(f"Đợt F0 mẫu: {created} F0 tại Quận Ba Đình, {declared} phiếu khai báo.")
        if case:
            _link, raw = patient_link_create(actor=officer, case=case)
            self.stdout.write(f"Thử trang khai báo của người bệnh ({case.code}): /theo-doi/k/{raw}/")

    def close_past_wave(self, *, actor: User, today: Any) -> None:
        """The imported demo lists are Hà Nội's Jan–Mar 2022 wave: that wave is over, its F0 released on their due dates."""
        past = Case.objects.filter(
            status=Status.ACTIVE, import_job__isnull=False, release_due_on__isnull=False,
            confirmed_on__lt=today - timedelta(days=60),
        )  # fmt: skip
        closed = past.update(status=Status.RELEASED, released_on=F("release_due_on"), version=F("version") + 1)
        if closed:
            audit_record(
                actor=actor, event=Event.UPDATE, target_type="case", target_id=None, area=None,
                changes={"status": [Status.ACTIVE, Status.RELEASED]}, extra={"demo_past_wave_closed": closed},
            )  # fmt: skip
            self.stdout.write(f"Đợt dịch mẫu 2022: {closed} F0 đã hoàn thành cách ly.")
