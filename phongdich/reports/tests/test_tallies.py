"""The maintained summary table equals a full recompute after random inserts, edits and deletions."""

import random
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from io import StringIO
from unittest.mock import patch
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from phongdich.care.models import Transfer
from phongdich.care.services import FacilityData, case_discharge_home, case_transfer, facility_create
from phongdich.cases.models import Case, Certificate, IsolationTest, Source, Status, TestKind
from phongdich.cases.release import case_death_record, case_release, isolation_test_record
from phongdich.contacts.models import OPEN_STATUSES, Contact, ContactKind, ContactStatus, Setting
from phongdich.contacts.services import contact_record
from phongdich.contacts.tracking import contact_convert_to_case, contact_release, contact_test_record
from phongdich.hotline.models import Channel as RequestChannel
from phongdich.hotline.models import Request, RequestCategory, RequestEvent
from phongdich.hotline.models import Status as RequestStatus
from phongdich.hotline.services import request_create, request_transition
from phongdich.monitoring.models import UNHANDLED, Alert, AlertAction, Channel
from phongdich.monitoring.services import alert_handle, declaration_submit
from phongdich.people.services import PersonData
from phongdich.reports.models import WardDay
from phongdich.reports.series import COLUMNS
from phongdich.reports.tallies import tallies_rebuild, tallies_touch, ward_days_refresh
from phongdich.rules.triage import Vitals
from phongdich.testing import PhongdichTestCase

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
URGENT = Vitals(spo2=95, resp_rate=18, pulse=88, temperature=37.2)


def table() -> list[tuple]:
    return list(WardDay.objects.order_by("ward_id", "day").values_list("ward_id", "day", *COLUMNS))


class RandomOperationsTest(PhongdichTestCase):
    def setUp(self) -> None:
        self.rng = random.Random(20220301)
        self.clock = datetime(2022, 2, 10, 8, 0, tzinfo=HANOI)
        self.wards = [self.ward_a1, self.ward_a2, self.ward_b1]
        self.facilities = [
            facility_create(
                actor=self.city_admin,
                data=FacilityData(code=f"CS{tier}", name=f"Cơ sở tầng {tier}", tier=tier, district=self.district_a, beds=50),
            )
            for tier in (1, 2, 3)
        ]  # fmt: skip
        self.done: Counter[str] = Counter()
        self.serial = 0

    # --- the operations ---------------------------------------------------------------------------------------

    def today(self) -> date:
        return self.clock.astimezone(HANOI).date()

    def pick(self, qs):  # type: ignore[no-untyped-def]
        items = list(qs.order_by("pk"))
        return self.rng.choice(items) if items else None

    def active(self):  # type: ignore[no-untyped-def]
        return Case.objects.filter(status=Status.ACTIVE)

    def person_data(self, ward) -> PersonData:  # type: ignore[no-untyped-def]
        self.serial += 1
        return PersonData(full_name=f"Người Thử {self.serial}", birth_year=1950 + self.serial % 50, sex="F", ward=ward)

    def op_register(self) -> None:
        ward = self.rng.choice(self.wards)
        self.create_case(
            ward=ward, person=self.create_person(ward=ward, full_name=f"F0 Thử {self.serial}", birth_year=1970),
            confirmed_on=self.today() - timedelta(days=self.rng.choice([0, 0, 1, 2, 3, 5])),
            source=self.rng.choice([Source.COMMUNITY, Source.QUARANTINE, Source.ARRIVAL]),
        )  # fmt: skip
        self.serial += 1

    def op_transfer(self) -> None:
        case = self.pick(self.active())
        facility = self.rng.choice([f for f in self.facilities if case is None or f.pk != case.facility_id])
        if case:
            case_transfer(actor=self.city_admin, case=case, facility=facility, reason="Diễn biến nặng")

    def op_discharge(self) -> None:
        case = self.pick(self.active().filter(facility__isnull=False))
        if case:
            case_discharge_home(actor=self.city_admin, case=case, reason="Ổn định")

    def op_release(self) -> None:
        case = self.pick(self.active().filter(release_due_on__lte=self.today()))
        if case:
            isolation_test_record(
                actor=self.city_admin, case=case, tested_on=case.release_due_on, kind=TestKind.RAPID_ANTIGEN,
                negative=True,
            )  # fmt: skip
            case_release(
                actor=self.city_admin, case=case, released_on=case.release_due_on, expected_version=case.version
            )

    def op_death(self) -> None:
        case = self.pick(self.active())
        if case:
            died_on = case.confirmed_on + timedelta(days=self.rng.randint(0, (self.today() - case.confirmed_on).days))
            case_death_record(actor=self.city_admin, case=case, died_on=died_on, expected_version=case.version)

    def op_move_ward(self) -> None:
        case = self.pick(Case.objects.all())
        if case:
            tallies_touch(case=case)
            Case.objects.filter(pk=case.pk).update(
                ward=self.rng.choice([w for w in self.wards if w.pk != case.ward_id])
            )

    def op_move_confirmed_on(self) -> None:
        case = self.pick(self.active())
        if case:
            tallies_touch(case=case)
            Case.objects.filter(pk=case.pk).update(
                confirmed_on=case.confirmed_on - timedelta(days=self.rng.randint(1, 3))
            )

    def op_delete_case(self) -> None:
        case = self.pick(Case.objects.filter(alerts__isnull=True, contacts__isnull=True, from_contacts__isnull=True))
        if case:
            tallies_touch(case=case)
            Transfer.objects.filter(case=case).delete()
            Certificate.objects.filter(case=case).delete()
            IsolationTest.objects.filter(case=case).delete()
            case.delete()

    def op_alert(self) -> None:
        case = self.pick(self.active().filter(place="home"))
        if case:
            declaration_submit(case=case, vitals=URGENT, channel=Channel.STAFF, entered_by=self.city_admin)

    def op_handle_alert(self) -> None:
        alert = self.pick(Alert.objects.filter(status__in=UNHANDLED))
        if alert:
            alert_handle(
                actor=self.city_admin, alert=alert, action=AlertAction.PHONE_ADVICE, note="", version=alert.version
            )

    def op_contact(self) -> None:
        case = self.pick(self.active())
        if case:
            contact_record(
                actor=self.city_admin, source_case=case, person_data=self.person_data(self.rng.choice(self.wards)),
                setting=Setting.HOUSEHOLD, kind=ContactKind.UNMASKED_NEAR,
                contacted_on=max(case.confirmed_on, self.today() - timedelta(days=self.rng.randint(0, 2))), now=self.clock,
            )  # fmt: skip

    def op_contact_release(self) -> None:
        contact = self.pick(Contact.objects.filter(status=ContactStatus.QUARANTINE, quarantine_until__lte=self.today()))
        if contact is None:
            return
        on = max([contact.quarantine_until, *(date.fromisoformat(day) for day in contact.test_days[-1:])])
        if on > self.today():
            return
        if contact.test_days:
            contact_test_record(
                actor=self.city_admin, contact=contact, tested_on=on, kind=TestKind.RT_PCR, positive=False,
                now=self.clock,
            )  # fmt: skip
            contact.refresh_from_db()
        contact_release(actor=self.city_admin, contact=contact, on=on, expected_version=contact.version, now=self.clock)

    def op_contact_convert(self) -> None:
        contact = self.pick(Contact.objects.filter(status__in=OPEN_STATUSES))
        if contact:
            contact_test_record(
                actor=self.city_admin, contact=contact, tested_on=self.today(), kind=TestKind.RT_PCR, positive=True,
                now=self.clock,
            )  # fmt: skip
            contact.refresh_from_db()
            contact_convert_to_case(
                actor=self.city_admin, contact=contact, expected_version=contact.version, now=self.clock
            )

    def op_request(self) -> None:
        category = self.pick(RequestCategory.objects.all())
        request_create(
            actor=self.hotline, category=category, channel=RequestChannel.PHONE, message="Cần hỗ trợ thuốc.",
            caller_phone=f"09{self.rng.randint(10000000, 99999999)}", ward=self.rng.choice(self.wards), now=self.clock,
        )  # fmt: skip

    def op_answer(self) -> None:
        item = self.pick(Request.objects.exclude(status=RequestStatus.ANSWERED))
        if item:
            request_transition(
                actor=self.city_admin, item=item, to_status=RequestStatus.ANSWERED, version=item.version,
                answer="Đã hướng dẫn.", now=self.clock,
            )  # fmt: skip

    def op_delete_request(self) -> None:
        item = self.pick(Request.objects.filter(repeats__isnull=True))
        if item:
            tallies_touch(request=item)
            RequestEvent.objects.filter(request=item).delete()
            item.delete()

    def run_op(self, name: str, op: Callable[[], None]) -> None:
        self.clock += timedelta(minutes=self.rng.randint(5, 420))
        with patch("django.utils.timezone.now", return_value=self.clock), self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    op()
            except ValidationError:
                return
        self.done[name] += 1

    # --- the test ---------------------------------------------------------------------------------------------

    def test_maintained_table_equals_a_full_rebuild(self) -> None:
        weights = {
            self.op_register: 10, self.op_transfer: 4, self.op_discharge: 2, self.op_release: 3, self.op_death: 1,
            self.op_move_ward: 1, self.op_move_confirmed_on: 1, self.op_delete_case: 1, self.op_alert: 4,
            self.op_handle_alert: 3, self.op_contact: 5, self.op_contact_release: 2, self.op_contact_convert: 1,
            self.op_request: 4, self.op_answer: 3, self.op_delete_request: 1,
        }  # fmt: skip
        ops, cum = list(weights), list(weights.values())
        for step in range(1, 241):
            op = self.rng.choices(ops, weights=cum)[0]
            self.run_op(op.__name__, op)
            if step % 40 == 0:
                maintained = table()
                tallies_rebuild()
                self.assertEqual(maintained, table(), f"after step {step}: {dict(self.done)}")
        self.assertTrue(all(self.done[op.__name__] for op in ops), dict(self.done))
        self.assertGreater(WardDay.objects.count(), 20)

    def test_refresh_deletes_rows_that_became_empty(self) -> None:
        with patch("django.utils.timezone.now", return_value=self.clock), self.captureOnCommitCallbacks(execute=True):
            case = self.create_case(confirmed_on=date(2022, 2, 9))
        self.assertEqual(WardDay.objects.filter(ward=self.ward_a1).count(), 2)  # positive on 9/2, entry on 10/2
        with self.captureOnCommitCallbacks(execute=True):
            tallies_touch(case=case)
            case.delete()
        self.assertFalse(WardDay.objects.exists())
        self.assertEqual(ward_days_refresh([(self.ward_a1.pk, date(2022, 2, 9))]), 0)

    def test_command_rebuilds_a_range(self) -> None:
        with patch("django.utils.timezone.now", return_value=self.clock):
            self.create_case(confirmed_on=date(2022, 2, 9))
        self.assertFalse(WardDay.objects.exists())  # no commit in a test: the hook did not run
        call_command("rebuild_tallies", "--from", "2022-02-10", "--to", "2022-02-10", stdout=StringIO())
        self.assertEqual(list(WardDay.objects.values_list("day", "new_community")), [(date(2022, 2, 10), 1)])
        call_command("rebuild_tallies", stdout=StringIO())
        self.assertEqual(WardDay.objects.count(), 2)


class ReportDayTest(PhongdichTestCase):
    def test_entries_after_the_boundary_count_to_the_next_day(self) -> None:
        times = {time(17, 59): date(2022, 2, 3), time(18, 0): date(2022, 2, 4), time(18, 5): date(2022, 2, 4)}
        for moment, expected in times.items():
            with self.subTest(moment=moment):
                WardDay.objects.all().delete()
                Case.objects.all().delete()
                with patch("django.utils.timezone.now", return_value=datetime.combine(date(2022, 2, 3), moment, HANOI)):
                    self.create_case(confirmed_on=date(2022, 2, 3))
                tallies_rebuild()
                self.assertEqual(WardDay.objects.get(new_community=1).day, expected)

    def test_midnight_boundary_means_calendar_days(self) -> None:
        with self.settings(PHONGDICH_REPORT_DAY_ENDS_AT="00:00"):
            with patch("django.utils.timezone.now", return_value=datetime(2022, 2, 3, 23, 30, tzinfo=HANOI)):
                self.create_case(confirmed_on=date(2022, 2, 3))
            tallies_rebuild()
            self.assertEqual(WardDay.objects.get().day, date(2022, 2, 3))

    def test_late_entries_are_counted_apart(self) -> None:
        with patch("django.utils.timezone.now", return_value=datetime(2022, 2, 6, 10, tzinfo=HANOI)):
            self.create_case(confirmed_on=date(2022, 2, 4))  # 2 days: on time
            self.create_case(person=self.create_person(full_name="Trễ Hạn"), confirmed_on=date(2022, 2, 3))  # 3 days
        tallies_rebuild()
        row = WardDay.objects.get(day=date(2022, 2, 6))
        self.assertEqual((row.new_community, row.new_late), (1, 1))
