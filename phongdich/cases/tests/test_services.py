from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from phongdich.audit.models import AuditLog, Event
from phongdich.cases.models import Case, Source
from phongdich.cases.models import TestKind as Kind  # aliased: pytest would collect a "Test…" class
from phongdich.cases.services import case_codes_allocate, case_register, case_register_with_person
from phongdich.people.models import Condition, Person
from phongdich.people.services import PersonData
from phongdich.testing import PhongdichTestCase


class CaseRegisterTests(PhongdichTestCase):
    def test_registers_with_code_age_risk_and_audit(self) -> None:
        person = self.create_person(birth_year=1960)
        case = case_register(
            actor=self.ward_officer_a1, person=person, ward=self.ward_a1, confirmed_on=date(2022, 2, 20),
            test_kind=Kind.RAPID_ANTIGEN, source=Source.F1, sampled_on=date(2022, 2, 19),
        )  # fmt: skip
        assert case.code.startswith("F0-")
        assert case.age == 62
        assert case.high_risk is True
        assert case.created_by == self.ward_officer_a1
        log = AuditLog.objects.get(target_type="case", target_id=case.pk)
        assert log.event == Event.CREATE
        assert log.actor == self.ward_officer_a1
        assert log.changes["code"] == case.code

    def test_young_person_without_condition_is_not_high_risk(self) -> None:
        case = self.create_case(person=self.create_person(birth_year=2000))
        assert case.high_risk is False

    def test_pregnancy_or_condition_makes_high_risk(self) -> None:
        pregnant = self.create_person(birth_year=1995, sex="F", pregnant=True)
        ill = self.create_person(birth_year=1995, conditions=[Condition.objects.first()], phone="0912000001")
        assert self.create_case(person=pregnant).high_risk is True
        assert self.create_case(person=ill).high_risk is True

    def test_rejects_ward_outside_the_actors_area(self) -> None:
        person = self.create_person()
        with pytest.raises(ValidationError) as raised:
            case_register(
                actor=self.ward_officer_a1, person=person, ward=self.ward_b1, confirmed_on=date(2022, 2, 20),
                test_kind=Kind.RT_PCR,
            )  # fmt: skip
        assert "ward" in raised.value.message_dict
        assert not Case.objects.exists()

    def test_rejects_a_district_as_managing_ward(self) -> None:
        with pytest.raises(ValidationError) as raised:
            case_register(
                actor=self.city_admin, person=self.create_person(), ward=self.district_a,
                confirmed_on=date(2022, 2, 20), test_kind=Kind.RT_PCR,
            )  # fmt: skip
        assert "ward" in raised.value.message_dict

    def test_rejects_a_future_date(self) -> None:
        tomorrow = timezone.localdate() + timedelta(days=1)
        with pytest.raises(ValidationError) as raised:
            self.create_case(confirmed_on=tomorrow)
        assert "confirmed_on" in raised.value.message_dict

    def test_rejects_sampling_after_the_result(self) -> None:
        with pytest.raises(ValidationError) as raised:
            self.create_case(confirmed_on=date(2022, 2, 20), sampled_on=date(2022, 2, 21))
        assert "sampled_on" in raised.value.message_dict

    def test_rejects_a_second_case_the_same_day(self) -> None:
        case = self.create_case()
        with pytest.raises(ValidationError) as raised:
            self.create_case(person=case.person)
        assert case.code in raised.value.messages[0]
        assert Case.objects.count() == 1

    def test_a_later_reinfection_is_a_new_case(self) -> None:
        first = self.create_case(confirmed_on=date(2021, 8, 1))
        second = self.create_case(person=first.person, confirmed_on=date(2022, 2, 20))
        assert second.code != first.code


class CaseCodesAllocateTests(PhongdichTestCase):
    def test_codes_are_unique_and_consecutive(self) -> None:
        first = case_codes_allocate(3)
        second = case_codes_allocate(2)
        codes = first + second
        assert len(set(codes)) == 5
        numbers = [int(code.removeprefix("F0-")) for code in codes]
        assert numbers == list(range(numbers[0], numbers[0] + 5))
        assert all(len(code) == len("F0-0000001") for code in codes)


class CaseRegisterWithPersonTests(PhongdichTestCase):
    def data(self, **fields: object) -> PersonData:
        values = {"full_name": "Trần Thị Bình", "birth_year": 1990, "sex": "F", "ward": self.ward_a1, **fields}
        return PersonData(**values)  # type: ignore[arg-type]

    def register(self, person: Person | None, data: PersonData, **fields: object) -> Case:
        values = {"ward": self.ward_a1, "confirmed_on": date(2022, 2, 20), "test_kind": Kind.RT_PCR, **fields}
        return case_register_with_person(actor=self.ward_officer_a1, person=person, person_data=data, **values)  # type: ignore[arg-type]

    def test_new_person_and_case_with_two_audit_rows(self) -> None:
        before = AuditLog.objects.count()
        case = self.register(None, self.data(phone="0912345678"))
        assert case.person.full_name == "Trần Thị Bình"
        assert case.person.created_by == self.ward_officer_a1
        assert AuditLog.objects.count() == before + 2
        assert set(AuditLog.objects.filter(event=Event.CREATE).values_list("target_type", flat=True)) >= {
            "person",
            "case",
        }

    def test_a_failed_case_leaves_no_person(self) -> None:
        persons = Person.objects.count()
        with pytest.raises(ValidationError):
            self.register(None, self.data(), confirmed_on=timezone.localdate() + timedelta(days=1))
        assert Person.objects.count() == persons
        assert not Case.objects.exists()

    def test_reused_person_gets_blank_fields_filled_not_overwritten(self) -> None:
        person = self.create_person(full_name="Trần Thị Bình", birth_year=1990, sex="F", phone="0912345678")
        condition = Condition.objects.first()
        data = self.data(national_id="001190012345", phone="0987654321", pregnant=True, conditions=[condition])
        case = self.register(person, data)
        person.refresh_from_db()
        assert case.person == person
        assert person.national_id == "001190012345"
        assert person.phone == "0912345678"  # recorded value kept
        assert person.pregnant is True
        assert list(person.conditions.all()) == [condition]
        assert case.high_risk is True
        update = AuditLog.objects.get(target_type="person", target_id=person.pk, event=Event.UPDATE)
        assert update.changes["national_id"] == [None, "001190012345"]
