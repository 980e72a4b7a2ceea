"""Outreach (due) lists: priority order, filters, overdue, scoping, the printable A4 page and the xlsx export."""

import io
from datetime import timedelta

from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from phongdich.audit.models import AuditLog, Event
from phongdich.testing import PhongdichTestCase
from phongdich.vaccination.coverage import due_list
from phongdich.vaccination.models import DoseKind, PersonVaccination
from phongdich.vaccination.models import VaccinationStatus as S

DUE = reverse("vaccination:due")
PRINT = reverse("vaccination:due_print")
EXPORT = reverse("vaccination:due_export")
TODAY = timezone.localdate()
Y = TODAY.year


def days(n: int):
    return TODAY + timedelta(days=n)


class DueData(PhongdichTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()

        def due(name: str, age: int, next_due, ward=None, **kw: object) -> None:
            person = cls.create_person(cls, full_name=name, birth_year=Y - age, ward=ward or cls.ward_a1,
                                       phone="0912345678", address="Số 1 ngõ 2")  # fmt: skip
            PersonVaccination.objects.create(
                person=person, ward=person.ward, birth_year=person.birth_year, status=S.PARTIAL, doses=1,
                first_dose_on=days(-120), last_dose_on=days(-120), last_product="astrazeneca",
                next_kind=DoseKind.PRIMARY_2, next_due_on=next_due, **kw,
            )  # fmt: skip

        due("Quá Hạn Trẻ", 32, days(-30))
        due("Đến Hạn Năm Mươi", 62, days(2), priority=True)
        due("Bệnh Nền", 32, days(1), priority=True)
        due("Nằm Nhà", 27, days(0), priority=True, homebound=True)
        due("Quá Hạn Già", 72, days(-10), priority=True)
        due("Còn Xa", 37, days(20))
        due("Không Hẹn", 37, None)
        due("Trúc Bạch Quá Hạn", 72, days(-5), cls.ward_a2, priority=True)

    def names(self, rows) -> list[str]:
        return [r.person.full_name for r in rows]


class DueListTest(DueData):
    def test_priority_order(self) -> None:
        rows = due_list(user=self.ward_officer_a1, on=TODAY)
        assert self.names(rows) == ["Quá Hạn Già", "Quá Hạn Trẻ", "Đến Hạn Năm Mươi", "Bệnh Nền", "Nằm Nhà"]
        assert [r.overdue for r in rows] == [True, True, False, False, False]
        assert rows[0].age == 72

    def test_filters(self) -> None:
        def names(**kw: object) -> list[str]:
            return self.names(due_list(user=self.ward_officer_a1, on=TODAY, **kw))

        assert names(overdue_only=True) == ["Quá Hạn Già", "Quá Hạn Trẻ"]
        assert names(min_age=50) == ["Quá Hạn Già", "Đến Hạn Năm Mươi"]
        assert names(overdue_only=True, min_age=50) == ["Quá Hạn Già"]
        assert names(priority_only=True) == ["Quá Hạn Già", "Đến Hạn Năm Mươi", "Bệnh Nền", "Nằm Nhà"]
        assert names(homebound=True) == ["Nằm Nhà"]
        assert names(homebound=False) == ["Quá Hạn Già", "Quá Hạn Trẻ", "Đến Hạn Năm Mươi", "Bệnh Nền"]
        assert "Còn Xa" in names(horizon_days=30)

    def test_overdue_moves_with_the_date(self) -> None:
        rows = due_list(user=self.ward_officer_a1, on=days(3), overdue_only=True)
        # Three days later everyone listed is overdue: the priority order alone decides.
        assert self.names(rows) == ["Quá Hạn Già", "Đến Hạn Năm Mươi", "Bệnh Nền", "Nằm Nhà", "Quá Hạn Trẻ"]

    def test_scoping(self) -> None:
        district = self.names(due_list(user=self.district_officer_a, on=TODAY))
        assert district[:3] == ["Quá Hạn Già", "Trúc Bạch Quá Hạn", "Quá Hạn Trẻ"]
        assert self.names(due_list(user=self.district_officer_a, on=TODAY, ward_id=self.ward_a2.pk)) == [
            "Trúc Bạch Quá Hạn"
        ]
        assert self.names(due_list(user=self.ward_officer_b1, on=TODAY)) == []
        for user in self.not_seeing_ward_a1:
            with self.assertRaises(Http404):
                due_list(user=user, ward_id=self.ward_a1.pk)


class DuePagesTest(DueData):
    def test_permission_matrix(self) -> None:
        for url in (DUE, PRINT, EXPORT):
            self.assert_login_required(url)
            self.assert_allowed(url, self.everyone)
        # A ward outside the user's area is not among their choices: their own area is listed, not ward A1.
        response = self.client_for(self.ward_officer_b1).get(f"{DUE}?ward={self.ward_a1.pk}")
        assert response.status_code == 200
        assert "Quá Hạn Già" not in response.content.decode()

    def test_list_page(self) -> None:
        response = self.client_for(self.ward_officer_a1).get(DUE)
        html = response.content.decode()
        assert response.status_code == 200
        assert html.index("Quá Hạn Già") < html.index("Quá Hạn Trẻ") < html.index("Nằm Nhà")
        assert "Còn Xa" not in html
        assert "Quá hạn" in html

    def test_ward_officer_prints_overdue_over_50(self) -> None:
        response = self.client_for(self.ward_officer_a1).get(f"{PRINT}?overdue=on&min_age=50")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Quá Hạn Già" in html
        for other in ("Quá Hạn Trẻ", "Đến Hạn Năm Mươi", "Trúc Bạch Quá Hạn"):
            assert other not in html
        assert "Ký nhận / ghi chú" in html
        assert "0912345678" in html and "Số 1 ngõ 2" in html
        assert "@page { size: A4" in html
        assert "Danh sách người quá hạn tiêm vắc xin COVID-19" in html
        assert days(-10).strftime("%d/%m/%Y") in html

    def test_export_has_the_same_rows_and_is_audited(self) -> None:
        response = self.client_for(self.district_officer_a).get(f"{EXPORT}?min_age=50")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
        assert sheet[0][1] == "Họ và tên"
        expected = self.names(due_list(user=self.district_officer_a, on=TODAY, min_age=50))
        assert [row[1] for row in sheet[1:]] == expected
        assert expected == ["Quá Hạn Già", "Trúc Bạch Quá Hạn", "Đến Hạn Năm Mươi"]
        assert sheet[1][2] == 72
        assert sheet[1][10] == "Có"
        log = AuditLog.objects.get(event=Event.EXPORT, target_type="vaccination_due_list")
        assert log.actor == self.district_officer_a
        assert log.extra["rows"] == 3

    def test_query_count_is_flat(self) -> None:
        client = self.client_for(self.ward_officer_a1)
        with CaptureQueriesContext(connection) as first:
            client.get(DUE)
        with CaptureQueriesContext(connection) as printed:
            client.get(PRINT)
        for i in range(10):
            person = self.create_person(full_name=f"Thêm {i}", birth_year=Y - 40, ward=self.ward_a1)
            PersonVaccination.objects.create(person=person, ward=self.ward_a1, birth_year=Y - 40,
                                             next_kind=DoseKind.PRIMARY_1, next_due_on=days(-1))  # fmt: skip
        with self.assertNumQueries(len(first.captured_queries)):
            client.get(DUE)
        with self.assertNumQueries(len(printed.captured_queries)):
            client.get(PRINT)
