"""contact_record: the plan by the contact date, the person, idempotency, clusters, and every refusal."""

from datetime import date

from django.core.exceptions import ValidationError

from phongdich.audit.models import AuditLog
from phongdich.cases.models import Case, Status
from phongdich.contacts.clusters import address_key
from phongdich.contacts.models import Cluster, Contact, ContactKind, ContactStatus, Setting
from phongdich.contacts.services import contact_record
from phongdich.contacts.tests.base import ContactsTestCase, at
from phongdich.vaccination.models import Dose, PersonVaccination


class RecordTests(ContactsTestCase):
    def test_f1_with_the_762_plan_a_new_person_an_audit_and_the_household_cluster(self) -> None:
        contact = self.record()
        assert (contact.generation, contact.source_case, contact.status) == (1, self.source, ContactStatus.QUARANTINE)
        assert contact.quarantine_rule_set == "QUARANTINE-762"
        assert (contact.quarantine_until, contact.test_days, contact.monitor_until) == (
            date(2022, 3, 7), ["2022-03-07"], date(2022, 3, 10),
        )  # fmt: skip
        assert contact.next_test_on == date(2022, 3, 7)
        assert contact.plan_reasons[0] == "Chưa rõ tình trạng tiêm chủng: áp dụng thời gian cách ly dài hơn."
        assert contact.person.full_name == "Lê Thị Tiếp" and contact.ward == self.ward_a1
        assert AuditLog.objects.filter(target_type="contact", target_id=contact.pk).exists()
        cluster = contact.cluster
        assert cluster is not None and cluster.kind == Setting.HOUSEHOLD
        assert (cluster.index_case, cluster.address_key) == (self.source, "so 12 ngo 5 phuc xa")
        assert list(cluster.cases.all()) == [self.source]

    def test_household_members_share_one_cluster_and_workplace_gets_none(self) -> None:
        first = self.record(name="Một")
        second = self.record(name="Hai", phone="0988000111")
        work = self.record(name="Ba", phone="0988000222", setting=Setting.WORKPLACE)
        assert first.cluster_id == second.cluster_id and work.cluster_id is None
        assert Cluster.objects.count() == 1

    def test_typed_vaccination_shortens_the_quarantine(self) -> None:
        contact = self.record(doses=2, last_dose_on=date(2021, 12, 1))
        assert (contact.fully_vaccinated, contact.quarantine_until, contact.monitor_until) == (
            True, date(2022, 3, 5), date(2022, 3, 10),
        )  # fmt: skip
        assert contact.plan_reasons[0] == "Tiêm chủng theo lời khai: 2 mũi, mũi gần nhất 01/12/2021."

    def test_the_vaccination_registry_wins_over_what_is_typed_and_counts_doses_up_to_the_contact(self) -> None:
        person = self.create_person(full_name="Phạm Có Sổ", phone="0977000333")
        for given_on in (date(2021, 9, 1), date(2021, 10, 1), date(2022, 3, 2)):
            Dose.objects.create(person=person, given_on=given_on, product="pfizer", kind="primary_1", ward=self.ward_a1)
        PersonVaccination.objects.create(person=person, ward=self.ward_a1, doses=3)
        contact = self.record(person=person, doses=0)
        assert (contact.vaccine_doses, contact.last_dose_on, contact.fully_vaccinated) == (2, date(2021, 10, 1), True)
        assert contact.plan_reasons[0].startswith("Tiêm chủng theo sổ tiêm chủng: 2 mũi")

    def test_recovered_within_three_months(self) -> None:
        person = self.create_person(full_name="Đỗ Đã Khỏi", phone="0977000444")
        old = self.create_case(person=person, confirmed_on=date(2021, 12, 20))
        Case.objects.filter(pk=old.pk).update(status=Status.RELEASED, released_on=date(2021, 12, 30))
        contact = self.record(person=person)
        assert (contact.recovered_on, contact.quarantine_until) == (date(2021, 12, 30), date(2022, 3, 5))

    def test_1909_no_quarantine(self) -> None:
        source = self.create_case(person=self.create_person(full_name="F0 tháng 5"), confirmed_on=date(2022, 5, 2))
        contact = self.record(source_case=source, contacted_on=date(2022, 5, 1), now=at(date(2022, 5, 3)))
        assert (contact.status, contact.quarantine_until, contact.test_days) == (ContactStatus.MONITORING, None, [])
        assert (contact.monitor_until, contact.next_test_on) == (date(2022, 5, 10), None)


class IdempotencyTests(ContactsTestCase):
    def test_recording_the_same_f1_again_returns_the_open_record(self) -> None:
        first = self.record(national_id="001090000001")
        again, created = contact_record(
            actor=self.ward_officer_a1, source_case=self.source, person_data=self.person_data(national_id="001090000001"),
            setting=Setting.HOUSEHOLD, kind=ContactKind.PHYSICAL, contacted_on=date(2022, 3, 1), now=self.now,
        )  # fmt: skip
        assert (again.pk, created) == (first.pk, False)
        assert Contact.objects.count() == 1

    def test_a_later_exposure_restarts_the_plan(self) -> None:
        first = self.record()
        again = self.record(person=first.person, contacted_on=date(2022, 3, 3))
        assert again.pk == first.pk
        first.refresh_from_db()
        assert (first.contacted_on, first.quarantine_until, first.version) == (date(2022, 3, 3), date(2022, 3, 9), 2)

    def test_after_release_a_new_exposure_is_a_new_record(self) -> None:
        first = self.record()
        Contact.objects.filter(pk=first.pk).update(status=ContactStatus.RELEASED)
        second = self.record(person=first.person, contacted_on=date(2022, 3, 2))
        assert second.pk != first.pk


class RefusalTests(ContactsTestCase):
    def refused(self, field: str, text: str, **kwargs: object) -> None:
        with self.assertRaises(ValidationError) as raised:
            self.record(**kwargs)  # type: ignore[arg-type]
        assert field in raised.exception.message_dict, raised.exception.message_dict
        assert text in " ".join(raised.exception.message_dict[field]), raised.exception.message_dict

    def test_contact_date_in_the_future(self) -> None:
        self.refused(
            "contacted_on", "Ngày tiếp xúc 04/03/2022 sau hôm nay (03/03/2022).", contacted_on=date(2022, 3, 4)
        )

    def test_more_than_thirty_days_before_the_positive_date(self) -> None:
        self.record(name="Ba mươi ngày", contacted_on=date(2022, 1, 30))
        self.refused(
            "contacted_on", f"sớm hơn 30 ngày trước ngày F0 {self.source.code} dương tính (01/03/2022)",
            contacted_on=date(2022, 1, 29),
        )  # fmt: skip

    def test_after_the_source_was_released(self) -> None:
        Case.objects.filter(pk=self.source.pk).update(released_on=date(2022, 3, 2))
        self.source.refresh_from_db()
        self.refused("contacted_on", "đã hoàn thành cách ly ngày 02/03/2022", contacted_on=date(2022, 3, 3))

    def test_person_is_an_active_f0(self) -> None:
        other = self.create_case(person=self.create_person(full_name="Đang Là F0"), confirmed_on=date(2022, 2, 27))
        self.refused("person", f"Đang Là F0 đang là F0 (mã {other.code}), không cách ly F1.", person=other.person)

    def test_person_is_the_source(self) -> None:
        self.refused("person", "chính là F0 nguồn", person=self.source.person)

    def test_before_the_first_quarantine_rule(self) -> None:
        source = self.create_case(person=self.create_person(full_name="F0 2021"), confirmed_on=date(2021, 7, 14))
        self.refused("contacted_on", "trước 14/07/2021", source_case=source, contacted_on=date(2021, 7, 13))

    def test_ward_outside_the_area(self) -> None:
        self.refused("ward", "thuộc địa bàn của bạn", ward=self.ward_b1)

    def test_last_dose_after_the_contact_and_without_doses(self) -> None:
        self.refused("last_dose_on", "sau ngày tiếp xúc", doses=2, last_dose_on=date(2022, 3, 2))
        self.refused("doses", "số mũi phải từ 1", last_dose_on=date(2022, 1, 2))


class SecondGenerationTests(ContactsTestCase):
    def test_f2_one_level_down_only(self) -> None:
        f1 = self.record()
        f2 = self.record(source_contact=f1, name="Hoàng F Hai", phone="0900000002", setting=Setting.WORKPLACE)
        assert (f2.generation, f2.source_case, f2.source_contact) == (2, None, f1)
        assert f2.cluster is None
        with self.assertRaises(ValidationError) as raised:
            self.record(source_contact=f2, name="Thế Hệ Ba", phone="0900000003")
        assert "không ghi người tiếp xúc với F2" in raised.exception.message_dict["source_contact"][0]

    def test_f2_refusals(self) -> None:
        f1 = self.record(contacted_on=date(2022, 3, 2))
        for person, text in ((f1.person, "chính là F1 nguồn"), (self.source.person, "là F0 nguồn của F1 này")):
            with self.assertRaises(ValidationError) as raised:
                self.record(source_contact=f1, person=person)
            assert text in raised.exception.message_dict["person"][0]
        with self.assertRaises(ValidationError) as raised:
            self.record(source_contact=f1, name="Sớm Quá", phone="0900000009", contacted_on=date(2022, 3, 1))
        assert "trước ngày F1 tiếp xúc với F0 (02/03/2022)" in raised.exception.message_dict["contacted_on"][0]


class AddressKeyTests(ContactsTestCase):
    def test_same_household_written_differently(self) -> None:
        assert address_key("Số 12, ngõ 5  Phúc Xá") == address_key("so 12 ngo 5 phuc xa") == "so 12 ngo 5 phuc xa"
        assert address_key("12/3 Phúc Xá") == "12/3 phuc xa"
