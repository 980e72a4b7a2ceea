from datetime import date, datetime, timedelta

from django.utils import timezone

from phongdich.audit.models import AuditLog, Event
from phongdich.audit.selectors import AuditFilters, audit_log_list, audit_logs_visible_to
from phongdich.audit.services import audit_record
from phongdich.testing import PhongdichTestCase


class AuditScopingTests(PhongdichTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.log_a1 = audit_record(
            actor=cls.ward_officer_a1, event=Event.CREATE, target_type="case", target_id=1, area=cls.ward_a1
        )
        cls.log_b1 = audit_record(
            actor=cls.ward_officer_b1, event=Event.UPDATE, target_type="person", target_id=2, area=cls.ward_b1
        )
        cls.log_district_a = audit_record(
            actor=cls.district_officer_a, event=Event.EXPORT, target_type="import_job", target_id=3, area=cls.district_a
        )
        cls.log_none = audit_record(actor=None, event=Event.IMPORT, target_type="import_job", target_id=4, area=None)
        cls.log_city = audit_record(
            actor=cls.city_admin, event=Event.UPDATE, target_type="area", target_id=5, area=cls.province
        )

    def visible(self, user) -> set[int]:  # type: ignore[no-untyped-def]
        return set(audit_logs_visible_to(user).values_list("pk", flat=True))

    def test_province_user_sees_everything_including_rows_without_area(self) -> None:
        assert self.visible(self.steering) == {
            log.pk for log in (self.log_a1, self.log_b1, self.log_district_a, self.log_none, self.log_city)
        }

    def test_district_user_sees_the_district_and_its_wards(self) -> None:
        assert self.visible(self.district_officer_a) == {self.log_a1.pk, self.log_district_a.pk}
        assert self.visible(self.district_officer_b) == {self.log_b1.pk}

    def test_ward_user_sees_the_ward_only(self) -> None:
        assert self.visible(self.ward_officer_a1) == {self.log_a1.pk}
        assert self.visible(self.ward_officer_a2) == set()


class AuditFilterTests(PhongdichTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.first = audit_record(
            actor=cls.ward_officer_a1, event=Event.CREATE, target_type="case", target_id=7, area=cls.ward_a1
        )
        cls.second = audit_record(
            actor=cls.city_admin, event=Event.UPDATE, target_type="person", target_id=7, area=cls.ward_a1
        )
        cls.third = audit_record(
            actor=cls.city_admin, event=Event.UPDATE, target_type="person", target_id=8, area=cls.ward_b1
        )
        # 1 March 2022, 23:30 Hà Nội time, and 2 March 00:30: the day boundary is the local one.
        tz = timezone.get_current_timezone()
        AuditLog.objects.filter(pk=cls.first.pk).update(event_time=datetime(2022, 3, 1, 23, 30, tzinfo=tz))
        AuditLog.objects.filter(pk=cls.second.pk).update(event_time=datetime(2022, 3, 2, 0, 30, tzinfo=tz))
        AuditLog.objects.filter(pk=cls.third.pk).update(event_time=datetime(2022, 3, 5, 12, 0, tzinfo=tz))

    def found(self, **filters: object) -> list[int]:
        return list(audit_log_list(user=self.steering, filters=AuditFilters(**filters)).values_list("pk", flat=True))  # type: ignore[arg-type]

    def test_no_filter_newest_first(self) -> None:
        assert self.found() == [self.third.pk, self.second.pk, self.first.pk]

    def test_actor(self) -> None:
        assert self.found(actor="CITY_ADMIN") == [self.third.pk, self.second.pk]

    def test_event_target_type_and_id(self) -> None:
        assert self.found(event=Event.CREATE) == [self.first.pk]
        assert self.found(target_type="person") == [self.third.pk, self.second.pk]
        assert self.found(target_type="person", target_id=7) == [self.second.pk]

    def test_local_days(self) -> None:
        assert self.found(date_from=date(2022, 3, 2)) == [self.third.pk, self.second.pk]
        assert self.found(date_to=date(2022, 3, 1)) == [self.first.pk]
        assert self.found(date_from=date(2022, 3, 2), date_to=date(2022, 3, 2)) == [self.second.pk]
        assert self.found(date_from=date(2022, 3, 5) + timedelta(days=1)) == []

    def test_filters_stay_inside_the_area(self) -> None:
        result = audit_log_list(user=self.ward_officer_b1, filters=AuditFilters(target_id=7))
        assert not result.exists()
