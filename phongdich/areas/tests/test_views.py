import io

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from phongdich.areas.models import Area
from phongdich.audit.models import AuditLog
from phongdich.testing import PhongdichTestCase

POPULATION = reverse("areas:population")
UPLOAD = reverse("areas:population_upload")
EXPORT = reverse("areas:population_export")


def xlsx_file(rows: list[list[object]], name: str = "dan-so.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    for index, row in enumerate(rows):
        sheet.write_row(index, 0, row)
    workbook.close()
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(text: str, name: str = "dan-so.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8-sig"))


class PopulationViewTests(PhongdichTestCase):
    def everyone(self) -> list:
        return [
            self.steering, self.city_admin, self.leader, self.hotline, self.district_officer_a, self.district_officer_b,
            self.ward_officer_a1, self.ward_officer_a2, self.ward_officer_b1, self.team_member_a1, self.doctor_a1,
        ]  # fmt: skip

    def test_everyone_signed_in_may_view(self) -> None:
        self.assert_allowed(POPULATION, self.everyone())
        self.assert_allowed(EXPORT, self.everyone())

    def test_anonymous_is_sent_to_login(self) -> None:
        response = self.client.get(POPULATION)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    def test_table_is_scoped_with_totals(self) -> None:
        Area.objects.filter(pk=self.ward_a1.pk).update(population=1000)
        Area.objects.filter(pk=self.ward_a2.pk).update(population=500)
        Area.objects.filter(pk=self.ward_b1.pk).update(population=7000)
        ward = self.client_for(self.ward_officer_a1).get(POPULATION)
        assert ward.context["ward_count"] == 1
        assert ward.context["total"] == 1000
        self.assertContains(ward, "Phường Phúc Xá")
        self.assertNotContains(ward, "Phường Trúc Bạch")
        district = self.client_for(self.district_officer_a).get(POPULATION)
        assert district.context["ward_count"] == 14
        assert district.context["total"] == 1500
        assert district.context["missing"] == 12
        self.assertNotContains(district, "Phường Phúc Tân")
        city = self.client_for(self.steering).get(POPULATION)
        assert city.context["ward_count"] == 579
        assert city.context["total"] == 8500
        groups = {g.district.code: g.total for g in city.context["groups"]}
        assert len(groups) == 30
        assert groups["001"] == 1500
        assert groups["002"] == 7000

    def count_queries(self, user) -> int:  # type: ignore[no-untyped-def]
        client = self.client_for(user)
        client.get(POPULATION)
        with CaptureQueriesContext(connection) as queries:
            client.get(POPULATION)
        return len(queries)

    def test_query_count_does_not_grow_with_wards(self) -> None:
        assert self.count_queries(self.city_admin) == self.count_queries(self.ward_officer_a1) <= 8

    def test_only_population_editors_see_the_inline_form(self) -> None:
        self.assertContains(self.client_for(self.city_admin).get(POPULATION), 'name="population"', count=579)
        self.assertNotContains(self.client_for(self.district_officer_a).get(POPULATION), 'name="population"')


class PopulationRowTests(PhongdichTestCase):
    def url(self, ward: Area) -> str:
        return reverse("areas:population_row", args=[ward.pk])

    def test_only_population_editors_may_post(self) -> None:
        for user in (self.steering, self.leader, self.district_officer_a, self.ward_officer_a1, self.hotline):
            response = self.client_for(user).post(self.url(self.ward_a1), {"population": "10"})
            assert response.status_code == 403, user.username
        self.ward_a1.refresh_from_db()
        assert self.ward_a1.population is None

    def test_get_is_not_allowed(self) -> None:
        assert self.client_for(self.city_admin).get(self.url(self.ward_a1)).status_code == 405

    def test_ward_of_another_province_is_not_found(self) -> None:
        other = Area.objects.get(code="00721")
        response = self.client_for(self.city_admin).post(self.url(other), {"population": "10"})
        assert response.status_code == 404
        other.refresh_from_db()
        assert other.population is None

    def test_htmx_post_saves_audits_and_returns_row_with_totals(self) -> None:
        Area.objects.filter(pk=self.ward_a2.pk).update(population=500)
        response = self.client_for(self.city_admin).post(
            self.url(self.ward_a1), {"population": "37853"}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        self.ward_a1.refresh_from_db()
        assert self.ward_a1.population == 37853
        body = response.content.decode()
        assert body.lstrip().startswith(f'<tr id="ward-{self.ward_a1.pk}">')
        assert f'id="district-total-{self.district_a.pk}" hx-swap-oob="true">38.353<' in body
        assert "Đã lưu" in body
        log = AuditLog.objects.get(target_type="area", target_id=self.ward_a1.pk)
        assert log.changes == {"population": [None, 37853]}
        assert log.actor == self.city_admin

    def test_invalid_value_shows_error_in_row(self) -> None:
        response = self.client_for(self.city_admin).post(
            self.url(self.ward_a1), {"population": "-3"}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        assert 'class="errorlist"' in response.content.decode()
        self.ward_a1.refresh_from_db()
        assert self.ward_a1.population is None
        assert not AuditLog.objects.exists()

    def test_same_value_writes_no_audit(self) -> None:
        Area.objects.filter(pk=self.ward_a1.pk).update(population=10)
        self.client_for(self.city_admin).post(
            self.url(self.ward_a1), {"population": "10"}, headers={"HX-Request": "true"}
        )
        assert not AuditLog.objects.exists()

    def test_plain_post_redirects_to_table(self) -> None:
        response = self.client_for(self.city_admin).post(self.url(self.ward_a1), {"population": "12"})
        self.assertRedirects(response, POPULATION)
        self.ward_a1.refresh_from_db()
        assert self.ward_a1.population == 12


class PopulationUploadTests(PhongdichTestCase):
    def upload(self, file: SimpleUploadedFile, user=None):  # type: ignore[no-untyped-def]
        return self.client_for(user or self.city_admin).post(UPLOAD, {"file": file})

    def test_only_population_editors_may_upload(self) -> None:
        for user in (self.steering, self.district_officer_a, self.ward_officer_a1):
            file = xlsx_file([["Mã phường/xã", "Dân số"], ["00001", 100]])
            assert self.upload(file, user).status_code == 403, user.username
        self.ward_a1.refresh_from_db()
        assert self.ward_a1.population is None

    def test_xlsx_keeps_good_rows_and_reports_bad_ones(self) -> None:
        file = xlsx_file(
            [
                ["Danh sách dân số phường/xã"],
                ["Mã phường/xã", "Tên", "Dân số"],
                ["00001", "Phúc Xá", 37853],
                [4, "Trúc Bạch", "30.955"],
                ["00006", "Vĩnh Phúc", 12.5],
                ["00721", "Đồng Văn (Hà Giang)", 100],
                ["00007", "Cống Vị", "không rõ"],
                [],
                ["00008", "Điện Biên", None],
                ["00037", "Phúc Tân", 20000],
            ]
        )
        response = self.upload(file)
        assert response.status_code == 200
        result = response.context["import_result"]
        assert result.updated == 3
        assert len(result.errors) == 3
        assert result.errors[0].startswith("Dòng 5:")  # 12.5 people
        assert any(e.startswith("Dòng 6:") and "00721" in e for e in result.errors)
        assert any(e.startswith("Dòng 7:") for e in result.errors)
        self.assertContains(response, "không rõ")
        codes = ["00001", "00004", "00006", "00721", "00007", "00037"]
        populations = dict(Area.objects.filter(code__in=codes).values_list("code", "population"))
        assert populations == {
            "00001": 37853, "00004": 30955, "00006": None, "00721": None, "00007": None, "00037": 20000,
        }  # fmt: skip
        assert AuditLog.objects.filter(target_type="area").count() == 3

    def test_csv_with_english_headers(self) -> None:
        response = self.upload(csv_file("ward_code;population\n00001;1200\n00037;3400\n"))
        assert response.status_code == 200
        assert response.context["import_result"].updated == 2
        self.ward_b1.refresh_from_db()
        assert self.ward_b1.population == 3400

    def test_csv_with_short_code_header(self) -> None:
        response = self.upload(csv_file("Mã,Dân số\n1,1200\n"))
        assert response.context["import_result"].updated == 1

    def test_missing_columns_is_a_form_error(self) -> None:
        response = self.upload(csv_file("Tên,Số người\nPhúc Xá,100\n"))
        assert response.status_code == 422
        self.assertContains(response, "Không tìm thấy dòng tiêu đề", status_code=422)

    def test_not_a_spreadsheet(self) -> None:
        response = self.upload(SimpleUploadedFile("dan-so.pdf", b"%PDF-1.4"))
        assert response.status_code == 422
        response = self.upload(SimpleUploadedFile("dan-so.xlsx", b"not a zip"))
        self.assertContains(response, "Không đọc được tệp", status_code=422)

    def test_csv_not_utf8(self) -> None:
        response = self.upload(SimpleUploadedFile("dan-so.csv", "Mã,Dân số\n00001,5\n".encode("utf-16")))
        assert response.status_code == 422


class PopulationExportTests(PhongdichTestCase):
    def read(self, response) -> list[list[object]]:  # type: ignore[no-untyped-def]
        return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()

    def test_download_is_scoped_and_reads_back(self) -> None:
        Area.objects.filter(pk=self.ward_a1.pk).update(population=37853)
        response = self.client_for(self.district_officer_a).get(EXPORT)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "dan-so-001-" in response["Content-Disposition"]
        rows = self.read(response)
        assert rows[0] == ["Mã quận/huyện", "Quận/huyện", "Mã phường/xã", "Phường/xã", "Dân số"]
        assert len(rows) == 1 + 14
        assert rows[1][:4] == ["001", "Quận Ba Đình", "00001", "Phường Phúc Xá"]
        assert rows[1][4] == 37853
        assert not AuditLog.objects.exists()

    def test_downloaded_file_uploads_unchanged(self) -> None:
        Area.objects.filter(pk=self.ward_a1.pk).update(population=37853)
        content = self.client_for(self.city_admin).get(EXPORT).content
        response = self.client_for(self.city_admin).post(UPLOAD, {"file": SimpleUploadedFile("x.xlsx", content)})
        assert response.context["import_result"].updated == 0
        assert response.context["import_result"].errors == []
