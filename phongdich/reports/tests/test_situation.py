"""The situation report against figures computed by hand on a small fixed data set (18:00 report boundary).

District A (Ba Đình: wards A1, A2), period 08–10/02/2022, previous period 05–07/02/2022.
"""

from datetime import date, datetime, timedelta
from unittest.mock import patch
from zoneinfo import ZoneInfo

from django.test import override_settings

from phongdich.care.models import Facility, Transfer
from phongdich.cases.models import Case, Source, Status
from phongdich.contacts.models import Contact, ContactKind, Setting
from phongdich.hotline.models import Channel as RequestChannel
from phongdich.hotline.models import RequestCategory
from phongdich.hotline.services import request_create
from phongdich.monitoring.models import Alert, AlertAction, AlertStatus, Channel
from phongdich.monitoring.services import declaration_submit
from phongdich.reports.series import by_ward, daily, totals
from phongdich.reports.situation import situation_report
from phongdich.reports.tallies import tallies_rebuild
from phongdich.rules.triage import Vitals
from phongdich.testing import PhongdichTestCase

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2022, 2, day, hour, minute, tzinfo=HANOI)


@override_settings(
    PHONGDICH_REPORT_DAY_ENDS_AT="18:00", PHONGDICH_LATE_ENTRY_DAYS=2, PHONGDICH_ALERT_ESCALATE_MINUTES=30
)
class SituationReportTest(PhongdichTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        t2 = Facility.objects.create(code="T2", name="Tầng 2", tier=2, district=cls.district_a, beds=10)
        t3 = Facility.objects.create(code="T3", name="Tầng 3", tier=3, district=cls.district_a, beds=10)
        self = cls()
        cases = {}
        rows = [
            # n, ward, entered at, positive on, source
            (1, cls.ward_a1, at(8, 10), 8, Source.COMMUNITY),
            (2, cls.ward_a1, at(8, 19), 8, Source.QUARANTINE),  # after 18:00 → report day 09
            (3, cls.ward_a2, at(9, 9), 9, Source.COMMUNITY),
            (4, cls.ward_a2, at(9, 12), 5, Source.COMMUNITY),  # 4 days after its test → late
            (5, cls.ward_a1, at(10, 8), 10, Source.ARRIVAL),
            (6, cls.ward_a1, at(10, 9), 9, Source.F1),
            (7, cls.ward_b1, at(9, 10), 9, Source.COMMUNITY),  # another district
            (8, cls.ward_a1, at(6, 10), 6, Source.COMMUNITY),
            (9, cls.ward_a2, at(7, 17, 59), 7, Source.COMMUNITY),
        ]
        for n, ward, entered, positive_day, source in rows:
            with patch("django.utils.timezone.now", return_value=entered):
                person = self.create_person(ward=ward, full_name=f"Ca Số {n}")
                cases[n] = self.create_case(
                    ward=ward, person=person, confirmed_on=date(2022, 2, positive_day), source=source
                )
        for n, facility, when in ((3, t2, at(9, 14)), (1, t3, at(10, 7))):
            Transfer.objects.create(case=cases[n], kind="admit", to_facility=facility, at=when, by=cls.city_admin,
                                    reason="Nặng", case_version=1)  # fmt: skip
            Case.objects.filter(pk=cases[n].pk).update(place="facility", facility=facility)
        Case.objects.filter(pk=cases[8].pk).update(status=Status.RELEASED, released_on=date(2022, 2, 9))
        Case.objects.filter(pk=cases[9].pk).update(status=Status.DIED, died_on=date(2022, 2, 10))

        # Alerts: created, acknowledged, handled (30 minutes is "in time").
        urgent = Vitals(spo2=95, resp_rate=18, pulse=88, temperature=37.2)
        for n, created, acknowledged, handled in (
            (2, at(9, 10), None, at(9, 10, 20)),  # in time, handled on 09
            (5, at(10, 8, 30), at(10, 8, 50), at(10, 11)),  # in time by its acknowledgement
            (6, at(10, 9), None, at(10, 18, 30)),  # handled on report day 11: outside
            (4, at(8, 9), None, at(8, 10)),  # late
        ):
            with patch("django.utils.timezone.now", return_value=created):
                declaration_submit(case=cases[n], vitals=urgent, channel=Channel.STAFF, entered_by=cls.city_admin)
            Alert.objects.filter(case=cases[n]).update(
                created_at=created, acknowledged_at=acknowledged, handled_at=handled, status=AlertStatus.HANDLED,
                action=AlertAction.PHONE_ADVICE,
            )  # fmt: skip

        # F1: recorded on, last contact, quarantine until, ended on.
        for n, ward, recorded, contacted, until, ended in (
            (1, cls.ward_a1, at(8, 10), 7, 13, None),
            (2, cls.ward_a2, at(9, 10), 9, 15, 10),
            (3, cls.ward_a1, at(5, 10), 4, 8, None),
        ):
            contact = Contact.objects.create(
                person=self.create_person(ward=ward, full_name=f"F1 Số {n}"), ward=ward, source_case=cases[1],
                generation=1, setting=Setting.HOUSEHOLD, kind=ContactKind.PHYSICAL, contacted_on=date(2022, 2, contacted),
                quarantine_rule_set="test", quarantine_until=date(2022, 2, until), monitor_until=date(2022, 2, until),
                quarantine_ended_on=date(2022, 2, ended) if ended else None, created_by=cls.city_admin,
            )  # fmt: skip
            Contact.objects.filter(pk=contact.pk).update(created_at=recorded)

        # Requests: received, due, answered.
        category = RequestCategory.objects.order_by("pk").first()
        for ward, received, due, answered in (
            (cls.ward_a1, at(8, 9), at(8, 10), at(8, 9, 30)),
            (cls.ward_a2, at(9, 9), at(9, 9, 30), at(9, 12)),
            (cls.ward_a1, at(6, 9), at(6, 10), at(6, 9, 10)),
        ):
            item = request_create(
                actor=cls.hotline, category=category, channel=RequestChannel.PHONE, message="Xin hỗ trợ",
                caller_phone="0912345678", ward=ward, now=received,
            )  # fmt: skip
            type(item).objects.filter(pk=item.pk).update(due_at=due, answered_at=answered, status="answered")
        tallies_rebuild()

    def report(self, area=None):  # type: ignore[no-untyped-def]
        return situation_report(area=area or self.district_a, start=date(2022, 2, 8), end=date(2022, 2, 10))

    def test_new_cases_per_day_with_late_entries_apart(self) -> None:
        days = [
            (d.day.day, d.community, d.quarantine, d.other, d.total, d.late, d.average7) for d in self.report().days
        ]
        self.assertEqual(days, [(8, 1, 0, 0, 1, 0, 0.4), (9, 1, 1, 0, 2, 1, 0.7), (10, 0, 1, 1, 2, 0, 1.0)])

    def test_period_figures(self) -> None:
        cur = self.report().current
        self.assertEqual(
            (cur.new_community, cur.new_quarantine, cur.new_other, cur.new_total, cur.new_late), (2, 2, 1, 5, 1)
        )
        self.assertEqual((cur.average, cur.peak, cur.peak_day), (1.7, 2, date(2022, 2, 9)))
        self.assertEqual((cur.home, cur.tier1, cur.tier2, cur.tier3, cur.treating), (4, 0, 1, 1, 6))
        self.assertEqual(cur.shares, {"home": 66.7, "tier1": 0.0, "tier2": 16.7, "tier3": 16.7})
        self.assertEqual((cur.released, cur.died), (1, 1))
        self.assertEqual((cur.alerts_handled, cur.alerts_in_time, cur.alerts_in_time_pct), (3, 2, 66.7))
        self.assertEqual((cur.contacts_new, cur.quarantine), (2, 1))
        self.assertEqual(
            (cur.requests_new, cur.requests_answered, cur.requests_in_time, cur.requests_in_time_pct), (2, 2, 1, 50.0)
        )

    def test_previous_period_and_differences(self) -> None:
        report = self.report()
        prev = report.previous
        self.assertEqual((prev.start, prev.end), (date(2022, 2, 5), date(2022, 2, 7)))
        self.assertEqual((prev.new_total, prev.average, prev.peak, prev.peak_day), (2, 0.7, 1, date(2022, 2, 6)))
        self.assertEqual((prev.home, prev.treating, prev.released, prev.died), (3, 3, 0, 0))
        self.assertEqual((prev.contacts_new, prev.quarantine, prev.alerts_in_time_pct), (1, 2, None))
        self.assertEqual((prev.requests_answered, prev.requests_in_time_pct), (1, 100.0))
        diffs = {c.key: c.difference for c in report.comparison}
        self.assertEqual(diffs["new_total"], 3)
        self.assertEqual(diffs["treating"], 3)
        self.assertEqual(diffs["quarantine"], -1)
        self.assertIsNone(diffs["alerts_in_time_pct"])
        self.assertIn("ghi nhận 5 ca mắc mới, trung bình 1,7 ca/ngày, cao nhất 2 ca ngày 09/02", report.sentences()[0])

    def test_city_and_ward_scopes(self) -> None:
        self.assertEqual(self.report(self.province).current.new_total, 6)
        self.assertEqual(self.report(self.ward_a1).current.new_total, 4)
        self.assertEqual(self.report(self.ward_b1).current.new_total, 1)

    def test_series_read_in_at_most_three_queries(self) -> None:
        start, end = date(2022, 2, 8), date(2022, 2, 10)
        with self.assertNumQueries(3):
            rows = daily(area=self.province, start=start, end=end)
        self.assertEqual([row.treating for row in rows], [5, 7, 7])
        with self.assertNumQueries(2):
            self.assertEqual(totals(area=self.district_a, start=start, end=end).new_total, 5)
        with self.assertNumQueries(1):
            wards = by_ward(wards=[self.ward_a1.pk, self.ward_a2.pk], start=start, end=end)
        self.assertEqual((wards[self.ward_a1.pk].new_total, wards[self.ward_a2.pk].new_late), (4, 1))
        self.assertEqual(wards[self.ward_a1.pk].treating + wards[self.ward_a2.pk].treating, 6)
        self.assertEqual(daily(area=self.province, start=date(2022, 3, 1), end=date(2022, 3, 2))[1].treating, 7)
        self.assertEqual(len(daily(area=self.province, start=start, end=start - timedelta(days=1))), 0)
