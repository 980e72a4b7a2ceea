"""Checks, tests, the end of quarantine, F1 → F0 (the chain kept, F2 promoted) and assignment."""

from datetime import date

from django.core.exceptions import ValidationError

from phongdich.cases.models import Source
from phongdich.cases.models import TestKind as Kind
from phongdich.contacts.clusters import cluster_add, cluster_create
from phongdich.contacts.models import Contact, ContactStatus, Setting
from phongdich.contacts.services import contact_assign
from phongdich.contacts.tests.base import ContactsTestCase, at
from phongdich.contacts.tracking import (
    contact_check_record,
    contact_convert_to_case,
    contact_release,
    contact_test_record,
)


class CheckTests(ContactsTestCase):
    def test_fever_and_cough_needs_a_test_until_one_is_recorded(self) -> None:
        contact = self.record()
        check = contact_check_record(
            actor=self.team_member_a1, contact=contact, checked_on=date(2022, 3, 2), symptoms={"cough"},
            temperature=38.6, now=self.now,
        )  # fmt: skip
        assert check.suspected and check.rule_set == "F1-SYMPTOMS-BEFORE-1909"
        assert "Sốt (nhiệt độ 38,6 °C), Ho" in check.verdict
        contact.refresh_from_db()
        assert (contact.needs_test, contact.symptomatic_on, contact.last_checked_on) == (
            True, date(2022, 3, 2), date(2022, 3, 2),
        )  # fmt: skip
        contact_test_record(
            actor=self.team_member_a1, contact=contact, tested_on=date(2022, 3, 3), kind=Kind.RAPID_ANTIGEN,
            positive=False, now=self.now,
        )  # fmt: skip
        contact.refresh_from_db()
        assert (contact.needs_test, contact.last_test_on, contact.next_test_on) == (
            False,
            date(2022, 3, 3),
            date(2022, 3, 7),
        )

    def test_mild_symptoms_do_not(self) -> None:
        contact = self.record()
        check = contact_check_record(
            actor=self.team_member_a1, contact=contact, checked_on=date(2022, 3, 2), symptoms=["headache"],
            now=self.now,
        )  # fmt: skip
        contact.refresh_from_db()
        assert (check.suspected, contact.needs_test) == (False, False)

    def test_refusals(self) -> None:
        contact = self.record(contacted_on=date(2022, 3, 2))
        cases = (
            ({"checked_on": date(2022, 3, 4)}, "checked_on", "Ngày kiểm tra 04/03/2022 sau hôm nay."),
            ({"checked_on": date(2022, 3, 1)}, "checked_on", "trước ngày tiếp xúc (02/03/2022)"),
            ({"symptoms": {"sneezing"}}, "symptoms", "không có trong danh sách: sneezing"),
            ({"temperature": 55}, "temperature", "Nhiệt độ"),
        )
        for extra, field, text in cases:
            values = {"checked_on": date(2022, 3, 3), "symptoms": set(), **extra}
            with self.assertRaises(ValidationError) as raised:
                contact_check_record(actor=self.team_member_a1, contact=contact, now=self.now, **values)  # type: ignore[arg-type]
            assert text in " ".join(raised.exception.message_dict[field]), raised.exception.message_dict
        with self.assertRaises(ValidationError) as raised:
            contact_test_record(
                actor=self.ward_officer_b1, contact=contact, tested_on=date(2022, 3, 3), kind="rt_pcr", positive=False,
                now=self.now,
            )  # fmt: skip
        assert "không thuộc địa bàn" in raised.exception.messages[0]


class ReleaseTests(ContactsTestCase):
    def test_quarantine_ends_with_a_negative_test_on_the_last_test_day_then_monitoring_ends(self) -> None:
        contact = self.record()  # 762, not fully vaccinated: to 07/03, test 07/03, monitor to 10/03
        day7 = at(date(2022, 3, 7))
        with self.assertRaises(ValidationError) as raised:
            contact_release(
                actor=self.ward_officer_a1, contact=contact, on=date(2022, 3, 6), expected_version=1, now=day7
            )
        assert raised.exception.message_dict["on"] == ["Chưa hết thời gian cách ly (đến hết 07/03/2022)."]
        contact_test_record(
            actor=self.ward_officer_a1, contact=contact, tested_on=date(2022, 3, 6), kind="rapid_antigen",
            positive=False, now=day7,
        )  # fmt: skip
        with self.assertRaises(ValidationError) as raised:
            contact_release(
                actor=self.ward_officer_a1, contact=contact, on=date(2022, 3, 7), expected_version=2, now=day7
            )
        assert "Cần kết quả xét nghiệm âm tính từ ngày 07/03/2022" in raised.exception.message_dict["on"][0]
        contact_test_record(
            actor=self.ward_officer_a1, contact=contact, tested_on=date(2022, 3, 7), kind="rapid_antigen",
            positive=False, now=day7,
        )  # fmt: skip
        contact_release(actor=self.ward_officer_a1, contact=contact, on=date(2022, 3, 7), expected_version=3, now=day7)
        assert (contact.status, contact.quarantine_ended_on, contact.released_on) == (
            ContactStatus.MONITORING, date(2022, 3, 7), None,
        )  # fmt: skip
        with self.assertRaises(ValidationError) as raised:
            contact_release(
                actor=self.ward_officer_a1, contact=contact, on=date(2022, 3, 9), expected_version=4, now=day7
            )
        assert "sau hôm nay" in raised.exception.message_dict["on"][0]
        later = at(date(2022, 3, 10))
        with self.assertRaises(ValidationError) as raised:
            contact_release(
                actor=self.ward_officer_a1, contact=contact, on=date(2022, 3, 9), expected_version=4, now=later
            )
        assert raised.exception.message_dict["on"] == ["Chưa hết thời gian tự theo dõi (đến hết 10/03/2022)."]
        contact_release(
            actor=self.ward_officer_a1, contact=contact, on=date(2022, 3, 10), expected_version=4, now=later
        )
        assert (contact.status, contact.released_on) == (ContactStatus.RELEASED, date(2022, 3, 10))

    def test_a_stale_page_is_refused(self) -> None:
        contact = self.record()
        contact_test_record(
            actor=self.ward_officer_a1, contact=contact, tested_on=date(2022, 3, 7), kind="rt_pcr", positive=False,
            now=at(date(2022, 3, 8)),
        )  # fmt: skip
        with self.assertRaises(ValidationError) as raised:
            contact_release(
                actor=self.ward_officer_a1, contact=contact, on=date(2022, 3, 8), expected_version=1,
                now=at(date(2022, 3, 8)),
            )  # fmt: skip
        assert "vừa được người khác cập nhật" in raised.exception.messages[0]

    def test_symptoms_or_a_positive_result_stop_the_release(self) -> None:
        contact = self.record()
        day8 = at(date(2022, 3, 8))
        contact_check_record(
            actor=self.ward_officer_a1, contact=contact, checked_on=date(2022, 3, 8),
            symptoms={"fever", "cough"}, now=day8,
        )  # fmt: skip
        with self.assertRaises(ValidationError) as raised:
            contact_release(
                actor=self.ward_officer_a1, contact=contact, on=date(2022, 3, 8), expected_version=2, now=day8
            )
        assert "Có triệu chứng nghi nhiễm ngày 08/03/2022" in raised.exception.message_dict["on"][0]
        contact_test_record(
            actor=self.ward_officer_a1, contact=contact, tested_on=date(2022, 3, 8), kind="rapid_antigen",
            positive=True, now=day8,
        )  # fmt: skip
        with self.assertRaises(ValidationError) as raised:
            contact_release(
                actor=self.ward_officer_a1, contact=contact, on=date(2022, 3, 8), expected_version=3, now=day8
            )
        assert raised.exception.message_dict["on"] == ["Có kết quả dương tính ngày 08/03/2022: chuyển thành F0."]

    def test_1909_monitoring_ends_after_ten_days_without_a_test(self) -> None:
        source = self.create_case(person=self.create_person(full_name="F0 tháng 5"), confirmed_on=date(2022, 5, 2))
        contact = self.record(source_case=source, contacted_on=date(2022, 5, 1), now=at(date(2022, 5, 3)))
        contact_release(
            actor=self.ward_officer_a1, contact=contact, on=date(2022, 5, 10), expected_version=1,
            now=at(date(2022, 5, 10)),
        )  # fmt: skip
        assert contact.status == ContactStatus.RELEASED


class ConvertTests(ContactsTestCase):
    def test_needs_a_positive_test(self) -> None:
        contact = self.record()
        with self.assertRaises(ValidationError) as raised:
            contact_convert_to_case(actor=self.ward_officer_a1, contact=contact, expected_version=1, now=self.now)
        assert "Chưa có kết quả xét nghiệm dương tính" in raised.exception.message_dict["contact"][0]

    def test_f1_becomes_f0_keeping_the_chain_and_its_f2_become_f1(self) -> None:
        f1 = self.record()
        f2 = self.record(source_contact=f1, name="Người F Hai", phone="0900000002", contacted_on=date(2022, 3, 2))
        contact_test_record(
            actor=self.ward_officer_a1, contact=f1, tested_on=date(2022, 3, 3), kind="rapid_antigen", positive=True,
            now=self.now,
        )  # fmt: skip
        with self.assertRaises(ValidationError):
            contact_convert_to_case(actor=self.ward_officer_a1, contact=f1, expected_version=1, now=self.now)
        case = contact_convert_to_case(actor=self.ward_officer_a1, contact=f1, expected_version=2, now=self.now)
        assert (case.person, case.confirmed_on, case.test_kind, case.source) == (
            f1.person, date(2022, 3, 3), Kind.RAPID_ANTIGEN, Source.F1,
        )  # fmt: skip
        f1.refresh_from_db()
        assert (f1.status, f1.converted_case, f1.source_case) == (ContactStatus.CONVERTED, case, self.source)
        f2.refresh_from_db()
        assert (f2.generation, f2.source_case, f2.source_contact) == (1, case, None)
        assert case in f1.cluster.cases.all()  # type: ignore[union-attr]
        # The new F0's own contacts can be recorded; the converted person can no longer be recorded as an F1.
        third = self.record(source_case=case, name="Người Mới", phone="0900000010", contacted_on=date(2022, 3, 3))
        assert third.source_case == case
        with self.assertRaises(ValidationError):
            self.record(person=f1.person, contacted_on=date(2022, 3, 2))


class AssignTests(ContactsTestCase):
    def test_assign_to_a_team_member_of_the_ward_with_a_version_check(self) -> None:
        contact = self.record()
        contact_assign(actor=self.ward_officer_a1, contact=contact, assignee=self.team_member_a1, expected_version=1)
        assert Contact.objects.get(pk=contact.pk).assigned_to == self.team_member_a1
        with self.assertRaises(ValidationError) as raised:
            contact_assign(actor=self.ward_officer_a1, contact=contact, assignee=None, expected_version=1)
        assert "vừa được người khác cập nhật" in raised.exception.message_dict["assigned_to"][0]
        for assignee, text in (
            (self.doctor_a1, "cán bộ trạm y tế hoặc thành viên tổ"),
            (self.ward_officer_a2, "phường/xã theo dõi"),
        ):
            with self.assertRaises(ValidationError) as raised:
                contact_assign(actor=self.district_officer_a, contact=contact, assignee=assignee, expected_version=2)
            assert text in raised.exception.message_dict["assigned_to"][0]
        with self.assertRaises(ValidationError):
            contact_assign(actor=self.ward_officer_b1, contact=contact, assignee=None, expected_version=2)


class ClusterTests(ContactsTestCase):
    def test_create_and_add(self) -> None:
        cluster = cluster_create(
            actor=self.ward_officer_a1, ward=self.ward_a1, name="Công ty X", kind=Setting.WORKPLACE
        )
        contact = self.record(setting=Setting.WORKPLACE)
        cluster_add(actor=self.ward_officer_a1, cluster=cluster, contact=contact)
        cluster_add(actor=self.ward_officer_a1, cluster=cluster, case=self.source)
        assert list(cluster.contacts.all()) == [contact] and list(cluster.cases.all()) == [self.source]
        with self.assertRaises(ValidationError) as raised:
            cluster_create(actor=self.ward_officer_a1, ward=self.ward_b1, name="Ngoài", kind=Setting.SCHOOL)
        assert "ward" in raised.exception.message_dict
        with self.assertRaises(ValidationError):
            cluster_add(actor=self.ward_officer_a2, cluster=cluster, contact=contact)
        with self.assertRaises(ValidationError) as raised:
            cluster_create(
                actor=self.ward_officer_a1, ward=self.ward_a1, name="Hộ", kind=Setting.HOUSEHOLD, address="Số 1 Phúc Xá"
            )
            cluster_create(
                actor=self.ward_officer_a1,
                ward=self.ward_a1,
                name="Hộ 2",
                kind=Setting.HOUSEHOLD,
                address="so 1 phuc xa",
            )
        assert "Đã có ổ dịch hộ gia đình" in raised.exception.message_dict["name"][0]
