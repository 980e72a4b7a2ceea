"""The import API: upload, follow the job, who may and who may not."""

from django.core.files.uploadedfile import SimpleUploadedFile

from phongdich.cases.models import Case
from phongdich.imports.models import ImportJob
from phongdich.imports.tests.test_import_cases import good_row, xlsx_bytes
from phongdich.tests.test_api import ApiTestCase

IMPORTS = "/api/v1/imports"


class ImportApiTests(ApiTestCase):
    def upload(self, user, content: bytes, name: str = "f0.xlsx"):  # type: ignore[no-untyped-def]
        with self.captureOnCommitCallbacks(execute=True):  # the task runs inline in tests
            return self.api(user).post(IMPORTS, {"file": SimpleUploadedFile(name, content)})

    def test_upload_runs_the_import_and_reports_rows(self) -> None:
        response = self.upload(self.ward_officer_a1, xlsx_bytes([good_row(1), good_row(2, **{"Họ và tên": ""})]))
        assert response.status_code == 202, response.content
        job_id = response.json()["id"]
        detail = self.api(self.ward_officer_a1).get(f"{IMPORTS}/{job_id}").json()
        assert (detail["status"], detail["created"], detail["rejected"]) == ("done", 1, 1)
        assert {"row_number": 3, "severity": "rejected", "field": "Họ và tên", "message": "Thiếu họ và tên."} in detail[
            "issues"
        ]
        assert Case.objects.count() == 1

    def test_bad_file_is_a_422_in_vietnamese(self) -> None:
        response = self.upload(self.ward_officer_a1, b"hello", name="f0.pdf")
        assert response.status_code == 422
        assert "không phải bảng tính" in response.json()["detail"]
        assert not ImportJob.objects.exists()

    def test_roles_without_import_permission_get_403(self) -> None:
        for user in (self.leader, self.doctor_a1, self.team_member_a1, self.steering):
            response = self.api(user).post(IMPORTS, {"file": SimpleUploadedFile("f0.xlsx", b"x")})
            assert response.status_code == 403, user.username

    def test_job_outside_the_area_is_404(self) -> None:
        job_id = self.upload(self.ward_officer_a1, xlsx_bytes([good_row(1)])).json()["id"]
        assert self.api(self.ward_officer_a2).get(f"{IMPORTS}/{job_id}").status_code == 404
        assert self.api(self.district_officer_b).get(f"{IMPORTS}/{job_id}").status_code == 404
        assert self.api(self.district_officer_a).get(f"{IMPORTS}/{job_id}").status_code == 200
        assert self.api(self.city_admin).get(f"{IMPORTS}/{job_id}").status_code == 200
