"""Recording and deleting doses, flags against refusals, the per-person summary, homebound, certificates."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from phongdich.audit.models import AuditLog, Event
from phongdich.people.models import Condition, Person
from phongdich.testing import PhongdichTestCase
from phongdich.vaccination.models import Dose, DoseKind, PersonVaccination, VaccinationCertificate, VaccinationStatus
from phongdich.vaccination.services import (
    coverage_tallies_rebuild,
    dose_delete,
    dose_record,
    person_homebound_set,
    person_vaccination_refresh,
    vaccination_certificate_issue,
)


class DoseRecordTests(PhongdichTestCase):
    def setUp(self) -> None:
        self.person = self.create_person(birth_date=date(1980, 5, 1), birth_year=1980)

    def record(self, given_on: date, product: str = "pfizer", **kwargs: object) -> tuple[Dose, list[str]]:
        return dose_record(actor=self.ward_officer_a1, person=self.person, given_on=given_on, product=product, **kwargs)

    def test_records_a_dose_with_its_kind_inferred_and_audited(self) -> None:
        dose, flags = self.record(date(2021, 9, 1), lot="FF1234", site="Trường THCS Phúc Xá")
        self.assertEqual(flags, [])
        self.assertEqual(dose.kind, DoseKind.PRIMARY_1)
        self.assertEqual(dose.ward, self.ward_a1)
        self.assertEqual(dose.created_by, self.ward_officer_a1)
        second, _ = self.record(date(2021, 9, 22))
        self.assertEqual(second.kind, DoseKind.PRIMARY_2)
        audit = AuditLog.objects.get(target_type="dose", target_id=second.pk)
        self.assertEqual(audit.event, Event.CREATE)
        self.assertEqual(audit.area, self.ward_a1)
        self.assertEqual(audit.changes["kind"], DoseKind.PRIMARY_2)

    def test_product_names_as_typed_are_accepted(self) -> None:
        dose, _ = self.record(date(2021, 9, 1), product="AstraZeneca")
        self.assertEqual(dose.product, "astrazeneca")

    def test_unknown_product_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            self.record(date(2021, 9, 1), product="Nước lã")
        self.assertIn("product", raised.exception.message_dict)
        self.assertFalse(Dose.objects.exists())

    def test_dose_before_birth_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            self.record(date(1979, 1, 1))
        self.assertIn("given_on", raised.exception.message_dict)
        self.assertFalse(Dose.objects.exists())
        self.assertFalse(AuditLog.objects.filter(target_type="dose").exists())

    def test_dose_in_the_future_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            self.record(date.today() + timedelta(days=2))
        self.assertIn("given_on", raised.exception.message_dict)

    def test_second_dose_too_early_is_flagged_and_kept(self) -> None:
        self.record(date(2021, 9, 1))
        # Pfizer: 21 days between the two primary doses; 10 days is too early but the dose was given.
        dose, flags = self.record(date(2021, 9, 11))
        self.assertTrue(flags)
        self.assertTrue(Dose.objects.filter(pk=dose.pk).exists())
        audit = AuditLog.objects.get(target_type="dose", target_id=dose.pk)
        self.assertEqual(audit.extra["flags"], flags)

    def test_second_dose_on_the_same_day_is_refused(self) -> None:
        self.record(date(2021, 9, 1))
        with self.assertRaises(ValidationError) as raised:
            self.record(date(2021, 9, 1), product="moderna")
        self.assertEqual(raised.exception.message_dict["given_on"], ["Đã có mũi tiêm ngày 01/09/2021."])
        self.assertEqual(Dose.objects.count(), 1)

    def test_person_without_ward_is_refused(self) -> None:
        Person.objects.filter(pk=self.person.pk).update(ward=None)
        self.person.refresh_from_db()
        with self.assertRaises(ValidationError) as raised:
            self.record(date(2021, 9, 1))
        self.assertIn("person", raised.exception.message_dict)

    def test_delete_needs_a_reason_is_audited_and_refreshes_the_summary(self) -> None:
        first, _ = self.record(date(2021, 9, 1))
        second, _ = self.record(date(2021, 9, 22))
        self.assertEqual(PersonVaccination.objects.get(pk=self.person.pk).doses, 2)
        with self.assertRaises(ValidationError):
            dose_delete(actor=self.ward_officer_a1, dose=second, reason="  ")
        second_pk = second.pk
        dose_delete(actor=self.ward_officer_a1, dose=second, reason="Nhập nhầm người")
        self.assertFalse(Dose.objects.filter(pk=second_pk).exists())
        audit = AuditLog.objects.get(target_type="dose", target_id=second_pk, event=Event.DELETE)
        self.assertEqual(audit.extra["reason"], "Nhập nhầm người")
        summary = PersonVaccination.objects.get(pk=self.person.pk)
        self.assertEqual(summary.doses, 1)
        self.assertEqual(summary.status, VaccinationStatus.PARTIAL)
        self.assertEqual(summary.last_dose_on, first.given_on)


class SummaryTests(PhongdichTestCase):
    def dose(self, person: Person, given_on: date, product: str, kind: str) -> Dose:
        return Dose.objects.create(person=person, given_on=given_on, product=product, kind=kind, ward=person.ward)

    def test_two_pfizer_doses_complete_the_primary_course_booster_due_three_months_later(self) -> None:
        person = self.create_person(birth_year=1980)
        self.dose(person, date(2021, 9, 1), "pfizer", DoseKind.PRIMARY_1)
        self.dose(person, date(2021, 9, 22), "pfizer", DoseKind.PRIMARY_2)
        self.assertEqual(person_vaccination_refresh(person_ids=[person.pk], on=date(2022, 1, 10)), 1)
        summary = PersonVaccination.objects.get(pk=person.pk)
        self.assertEqual(summary.status, VaccinationStatus.PRIMARY_COMPLETE)
        self.assertEqual(summary.doses, 2)
        self.assertEqual(summary.first_dose_on, date(2021, 9, 1))
        self.assertEqual(summary.last_dose_on, date(2021, 9, 22))
        self.assertEqual(summary.last_product, "pfizer")
        self.assertEqual(summary.primary_complete_on, date(2021, 9, 22))
        # CV 10722/BYT-DP (17/12/2021): booster ≥ 3 months after the last primary dose.
        self.assertEqual(summary.next_kind, DoseKind.BOOSTER_1)
        self.assertEqual(summary.next_due_on, date(2021, 12, 22))
        self.assertIn("pfizer", summary.next_products)
        self.assertTrue(summary.rule_sets)
        self.assertEqual(summary.ward, self.ward_a1)
        self.assertEqual(summary.birth_year, 1980)
        self.assertFalse(summary.priority)

    def test_one_dose_is_partial_with_the_second_due_after_the_interval(self) -> None:
        person = self.create_person(birth_year=1990)
        self.dose(person, date(2021, 9, 1), "pfizer", DoseKind.PRIMARY_1)
        person_vaccination_refresh(person_ids=[person.pk], on=date(2021, 9, 5))
        summary = PersonVaccination.objects.get(pk=person.pk)
        self.assertEqual(summary.status, VaccinationStatus.PARTIAL)
        self.assertEqual(summary.next_kind, DoseKind.PRIMARY_2)
        self.assertEqual(summary.next_due_on, date(2021, 9, 22))
        self.assertIn("pfizer", summary.next_products)

    def test_a_person_without_doses_is_unvaccinated(self) -> None:
        person = self.create_person(birth_year=1990)
        person_vaccination_refresh(person_ids=[person.pk], on=date(2022, 1, 10))
        summary = PersonVaccination.objects.get(pk=person.pk)
        self.assertEqual(summary.status, VaccinationStatus.UNVACCINATED)
        self.assertEqual(summary.doses, 0)
        self.assertEqual(summary.next_kind, DoseKind.PRIMARY_1)

    def test_priority_by_age_on_the_day_condition_or_homebound(self) -> None:
        older = self.create_person(full_name="Ông Già", birth_date=date(1971, 6, 1), birth_year=1971)
        sick = self.create_person(full_name="Người Ốm", birth_year=1990)
        sick.conditions.add(Condition.objects.get(code="diabetes"))
        young = self.create_person(full_name="Người Trẻ", birth_year=1995)
        ids = [older.pk, sick.pk, young.pk]
        person_vaccination_refresh(person_ids=ids, on=date(2021, 5, 31))
        self.assertFalse(PersonVaccination.objects.get(pk=older.pk).priority)  # 49 the day before the birthday
        person_vaccination_refresh(person_ids=ids, on=date(2021, 6, 1))
        self.assertTrue(PersonVaccination.objects.get(pk=older.pk).priority)
        self.assertTrue(PersonVaccination.objects.get(pk=sick.pk).priority)
        self.assertFalse(PersonVaccination.objects.get(pk=young.pk).priority)
        person_homebound_set(actor=self.ward_officer_a1, person=young, homebound=True)
        summary = PersonVaccination.objects.get(pk=young.pk)
        self.assertTrue(summary.homebound)
        self.assertTrue(summary.priority)

    def test_refresh_keeps_homebound_and_follows_the_person_s_ward(self) -> None:
        person = self.create_person(birth_year=1990)
        person_homebound_set(actor=self.ward_officer_a1, person=person, homebound=True)
        Person.objects.filter(pk=person.pk).update(ward=self.ward_a2)
        person_vaccination_refresh(person_ids=[person.pk])
        summary = PersonVaccination.objects.get(pk=person.pk)
        self.assertTrue(summary.homebound)
        self.assertEqual(summary.ward, self.ward_a2)
        audit = AuditLog.objects.get(target_type="person_vaccination", target_id=person.pk)
        self.assertEqual(audit.changes, {"homebound": [False, True]})
        person_homebound_set(actor=self.ward_officer_a1, person=person, homebound=False)
        self.assertFalse(PersonVaccination.objects.get(pk=person.pk).homebound)

    def test_merged_away_person_loses_the_row(self) -> None:
        person = self.create_person(birth_year=1990)
        other = self.create_person(full_name="Trần Thị Bình", birth_year=1991)
        person_vaccination_refresh(person_ids=[person.pk])
        Person.objects.filter(pk=person.pk).update(merged_into=other)
        self.assertEqual(person_vaccination_refresh(person_ids=[person.pk]), 0)
        self.assertFalse(PersonVaccination.objects.filter(pk=person.pk).exists())

    def _people_with_doses(self, count: int, start: int) -> list[int]:
        persons = Person.objects.bulk_create(
            Person(full_name=f"Người {i}", name_search=f"nguoi {i}", birth_year=1950 + i % 50, ward=self.ward_a1)
            for i in range(start, start + count)
        )
        doses = []
        for person in persons:
            doses.append(Dose(person=person, given_on=date(2021, 9, 1), product="pfizer", kind=DoseKind.PRIMARY_1,
                              ward=self.ward_a1))  # fmt: skip
            doses.append(Dose(person=person, given_on=date(2021, 9, 22), product="pfizer", kind=DoseKind.PRIMARY_2,
                              ward=self.ward_a1))  # fmt: skip
        Dose.objects.bulk_create(doses)
        return [person.pk for person in persons]

    def test_bulk_refresh_queries_do_not_grow_with_persons(self) -> None:
        few = self._people_with_doses(3, 0)
        many = self._people_with_doses(400, 3)
        with CaptureQueriesContext(connection) as few_queries:
            self.assertEqual(person_vaccination_refresh(person_ids=few, on=date(2022, 1, 10)), 3)
        with CaptureQueriesContext(connection) as many_queries:
            self.assertEqual(person_vaccination_refresh(person_ids=many, on=date(2022, 1, 10)), 400)
        self.assertEqual(len(many_queries), len(few_queries))
        # persons, doses, the summaries before, upsert, the two coverage tallies; on PostgreSQL the upsert is
        # scratch table, truncate, COPY, merge
        self.assertLessEqual(len(many_queries), 9 if connection.vendor == "postgresql" else 6)
        rows = PersonVaccination.objects.filter(pk__in=many)
        self.assertEqual(rows.count(), 400)
        self.assertEqual(rows.filter(status=VaccinationStatus.PRIMARY_COMPLETE, doses=2).count(), 400)
        self.assertEqual(rows.filter(next_due_on=date(2021, 12, 22)).count(), 400)
        # Born 1950–1972: 50 or older in 2022.
        self.assertEqual(rows.filter(priority=True).count(), rows.filter(birth_year__lte=1972).count())
        self.assertTrue(rows.filter(priority=True).exists())
        # A second refresh updates in place.
        person_vaccination_refresh(person_ids=many, on=date(2022, 1, 10))
        self.assertEqual(PersonVaccination.objects.count(), 403)


class CertificateIssueTests(PhongdichTestCase):
    def test_issue_and_reissue_keep_one_row_with_a_new_token(self) -> None:
        person = self.create_person(birth_year=1980)
        with self.assertRaises(ValidationError):
            vaccination_certificate_issue(actor=self.ward_officer_a1, person=person)
        dose_record(actor=self.ward_officer_a1, person=person, given_on=date(2021, 9, 1), product="pfizer")
        first = vaccination_certificate_issue(actor=self.ward_officer_a1, person=person)
        self.assertGreaterEqual(len(first.token), 40)
        second = vaccination_certificate_issue(actor=self.district_officer_a, person=person)
        self.assertEqual(VaccinationCertificate.objects.filter(person=person).count(), 1)
        self.assertEqual(first.pk, second.pk)
        self.assertNotEqual(first.token, second.token)
        self.assertEqual(second.issued_by, self.district_officer_a)
        self.assertEqual(AuditLog.objects.filter(target_type="vaccination_certificate").count(), 2)


class MergeTests(PhongdichTestCase):
    def test_a_merge_moves_the_doses_and_the_summary_follows(self) -> None:
        from phongdich.people.services import person_merge

        source = self.create_person(full_name="Lê Văn Nam", birth_year=1980)
        target = self.create_person(full_name="Lê Văn Nam", birth_year=1980, phone="0912000111")
        dose_record(actor=self.ward_officer_a1, person=source, given_on=date(2021, 9, 1), product="pfizer")
        dose_record(actor=self.ward_officer_a1, person=target, given_on=date(2021, 9, 22), product="pfizer")
        person_merge(actor=self.city_admin, source=source, target=target)
        assert Dose.objects.filter(person=target).count() == 2
        assert not PersonVaccination.objects.filter(person=source).exists()
        assert PersonVaccination.objects.get(person=target).status == VaccinationStatus.PRIMARY_COMPLETE

    def test_doses_on_the_same_day_block_the_merge(self) -> None:
        from phongdich.people.services import person_merge

        source = self.create_person(full_name="Lê Văn Nam", birth_year=1980)
        target = self.create_person(full_name="Lê Văn Nam", birth_year=1980, phone="0912000111")
        for person in (source, target):
            dose_record(actor=self.ward_officer_a1, person=person, given_on=date(2021, 9, 1), product="pfizer")
        with self.assertRaises(ValidationError):
            person_merge(actor=self.city_admin, source=source, target=target)


class CoverageTallyTests(PhongdichTestCase):
    def test_refreshes_keep_the_tallies_equal_to_a_recount(self) -> None:
        from phongdich.vaccination.models import CoverageDay, CoverageTally

        people = [
            self.create_person(full_name=f"Người {i}", birth_year=1960 + i, phone=f"09120001{i:02d}") for i in range(6)
        ]
        for person in people[:4]:
            dose_record(actor=self.ward_officer_a1, person=person, given_on=date(2021, 9, 1), product="pfizer")
        for person in people[:2]:
            dose_record(actor=self.ward_officer_a1, person=person, given_on=date(2021, 9, 22), product="pfizer")
        person_vaccination_refresh(person_ids=[p.pk for p in people])

        def snapshot() -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
            tallies = {
                (t.ward_id, t.birth_year, t.status, t.persons) for t in CoverageTally.objects.filter(persons__gt=0)
            }
            days = {(d.ward_id, d.day, d.event, d.persons) for d in CoverageDay.objects.filter(persons__gt=0)}
            return tallies, days

        kept = snapshot()
        assert (self.ward_a1.pk, 1960, VaccinationStatus.PRIMARY_COMPLETE, 1) in kept[0]
        assert (self.ward_a1.pk, date(2021, 9, 1), "first", 4) in kept[1]
        assert (self.ward_a1.pk, date(2021, 9, 22), "primary", 2) in kept[1]
        coverage_tallies_rebuild()
        assert snapshot() == kept


class PersonUpdateTests(PhongdichTestCase):
    def test_moving_ward_moves_the_summary_and_the_coverage_tally(self) -> None:
        from phongdich.people.services import PersonData, person_update
        from phongdich.vaccination.models import CoverageTally

        person = self.create_person(full_name="Đinh Thị Mai", birth_year=1970)
        dose_record(actor=self.ward_officer_a1, person=person, given_on=date(2021, 9, 1), product="pfizer")
        data = PersonData(full_name="Đinh Thị Mai", birth_year=1970, sex="F", ward=self.ward_a2)
        person_update(actor=self.city_admin, person=person, data=data)
        assert PersonVaccination.objects.get(person=person).ward == self.ward_a2
        moved = CoverageTally.objects.filter(birth_year=1970, status=VaccinationStatus.PARTIAL)
        assert dict(moved.values_list("ward_id", "persons")) == {self.ward_a1.pk: 0, self.ward_a2.pk: 1}
