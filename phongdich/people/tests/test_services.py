from datetime import date

import pytest
from django.core.exceptions import ValidationError

from phongdich.audit.models import AuditLog, Event
from phongdich.cases.models import Case
from phongdich.people.models import Condition, Person
from phongdich.people.services import PersonData, person_complete, person_create, person_merge, person_update
from phongdich.testing import PhongdichTestCase


class PersonCreateTests(PhongdichTestCase):
    def test_stores_nfc_and_folded_name_with_audit(self) -> None:
        decomposed = "Nguye\u0302\u0303n  Va\u0306n An"
        person = person_create(
            actor=self.ward_officer_a1, data=PersonData(full_name=decomposed, birth_year=1980, ward=self.ward_a1)
        )
        assert person.full_name == "Nguyễn Văn An"
        assert person.name_search == "nguyen van an"
        log = AuditLog.objects.get(target_type="person", target_id=person.pk)
        assert log.event == Event.CREATE
        assert log.actor == self.ward_officer_a1

    def test_rejects_a_ward_outside_the_area(self) -> None:
        with pytest.raises(ValidationError) as raised:
            person_create(actor=self.ward_officer_a1, data=PersonData(full_name="A", ward=self.ward_b1))
        assert "ward" in raised.value.message_dict

    def test_rejects_a_national_id_already_held(self) -> None:
        self.create_person(national_id="001080012345")
        with pytest.raises(ValidationError) as raised:
            self.create_person(national_id="001080012345")
        assert "national_id" in raised.value.message_dict


class PersonUpdateTests(PhongdichTestCase):
    def test_writes_the_changed_fields_to_the_audit(self) -> None:
        person = self.create_person(phone="0912345678")
        data = PersonData(full_name="Nguyễn Văn An", birth_year=1980, sex="M", phone="0987654321", ward=self.ward_a1)
        person_update(actor=self.ward_officer_a1, person=person, data=data)
        person.refresh_from_db()
        assert person.phone == "0987654321"
        log = AuditLog.objects.get(target_type="person", target_id=person.pk, event=Event.UPDATE)
        assert log.changes == {"phone": ["0912345678", "0987654321"]}

    def test_no_change_no_audit(self) -> None:
        person = self.create_person()
        data = PersonData(full_name="Nguyễn Văn An", birth_year=1980, sex="M", ward=self.ward_a1)
        person_update(actor=self.ward_officer_a1, person=person, data=data)
        assert not AuditLog.objects.filter(event=Event.UPDATE).exists()

    def test_rejects_another_persons_national_id(self) -> None:
        self.create_person(national_id="001080012345")
        person = self.create_person()
        data = PersonData(full_name="Nguyễn Văn An", birth_year=1980, national_id="001080012345", ward=self.ward_a1)
        with pytest.raises(ValidationError) as raised:
            person_update(actor=self.ward_officer_a1, person=person, data=data)
        assert "national_id" in raised.value.message_dict


class PersonCompleteTests(PhongdichTestCase):
    def test_fills_blanks_only(self) -> None:
        person = self.create_person(phone="0912345678", address="")
        data = PersonData(full_name="Khác", birth_year=1980, phone="0987654321", address="5 Hàng Bông",
                          national_id="001080012345", ward=self.ward_a2)  # fmt: skip
        person_complete(actor=self.ward_officer_a1, person=person, data=data)
        person.refresh_from_db()
        assert person.full_name == "Nguyễn Văn An"
        assert person.phone == "0912345678"
        assert person.ward == self.ward_a1
        assert person.address == "5 Hàng Bông"
        assert person.national_id == "001080012345"

    def test_birth_date_contradicting_the_year_is_not_filled(self) -> None:
        person = self.create_person(birth_year=1980)
        data = PersonData(full_name="Nguyễn Văn An", birth_date=date(1981, 5, 1), ward=self.ward_a1)
        person_complete(actor=self.ward_officer_a1, person=person, data=data)
        person.refresh_from_db()
        assert person.birth_date is None
        assert person.birth_year == 1980

    def test_nothing_new_writes_no_audit(self) -> None:
        condition = Condition.objects.first()
        person = self.create_person(conditions=[condition])
        data = PersonData(full_name="Nguyễn Văn An", birth_year=1980, conditions=[condition], ward=self.ward_a1)
        person_complete(actor=self.ward_officer_a1, person=person, data=data)
        assert not AuditLog.objects.filter(event=Event.UPDATE).exists()


class PersonMergeTests(PhongdichTestCase):
    def test_moves_cases_fills_blanks_and_keeps_the_source(self) -> None:
        source = self.create_person(national_id="001080012345", address="5 Hàng Bông", phone="0912345678")
        target = self.create_person(phone="0912345678")
        case = self.create_case(person=source)
        person_merge(actor=self.ward_officer_a1, source=source, target=target)
        source.refresh_from_db()
        target.refresh_from_db()
        case.refresh_from_db()
        assert case.person == target
        assert source.merged_into == target
        assert source.national_id is None
        assert target.national_id == "001080012345"
        assert target.address == "5 Hàng Bông"
        log = AuditLog.objects.get(event=Event.MERGE)
        assert log.target_id == target.pk
        assert log.extra == {"merged_from": source.pk, "moved_cases": [case.pk], "moved_doses": 0}

    def test_refuses_different_national_ids(self) -> None:
        source = self.create_person(national_id="001080012345")
        target = self.create_person(national_id="001080054321")
        with pytest.raises(ValidationError):
            person_merge(actor=self.ward_officer_a1, source=source, target=target)
        source.refresh_from_db()
        assert source.merged_into is None

    def test_refuses_merging_with_oneself(self) -> None:
        person = self.create_person()
        with pytest.raises(ValidationError):
            person_merge(actor=self.ward_officer_a1, source=person, target=person)

    def test_refuses_cases_on_the_same_day(self) -> None:
        source, target = self.create_person(), self.create_person()
        self.create_case(person=source)
        self.create_case(person=target)
        with pytest.raises(ValidationError):
            person_merge(actor=self.ward_officer_a1, source=source, target=target)
        assert Case.objects.filter(person=source).count() == 1
        assert Person.objects.get(pk=source.pk).merged_into is None
