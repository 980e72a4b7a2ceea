"""The import pages: upload, progress, report download, resume — and who may reach them."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phongdich.audit.models import AuditLog, Event
from phongdich.imports.engine import import_job_run
from phongdich.imports.models import ImportJob, JobStatus
from phongdich.imports.services import import_job_create
from phongdich.imports.tests.test_import_cases import good_row, xlsx_bytes
from phongdich.testing import PhongdichTestCase


class ImportViewTests(PhongdichTestCase):
    def make_job(self) -> ImportJob:
        content = xlsx_bytes([good_row(1), good_row(2, **{"Họ và tên": ""})])
        job = import_job_create(actor=self.ward_officer_a1, file=io.BytesIO(content), name="f0.xlsx", enqueue=False)
        return import_job_run(job=job)

    def test_upload_creates_a_job_and_shows_its_progress(self) -> None:
        client = self.client_for(self.ward_officer_a1)
        upload = SimpleUploadedFile("f0.xlsx", xlsx_bytes([good_row(1)]))
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(reverse("imports:list"), {"file": upload})
        job = ImportJob.objects.get()
        self.assertRedirects(response, reverse("imports:detail", args=[job.pk]))
        page = client.get(reverse("imports:detail", args=[job.pk]))
        self.assertContains(page, "Hoàn thành")
        self.assertContains(page, "F0 tạo mới")

    def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_form(self) -> None:
        client = self.client_for(self.ward_officer_a1)
        response = client.post(reverse("imports:list"), {"file": SimpleUploadedFile("f0.pdf", b"%PDF")})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "không phải bảng tính")
        self.assertFalse(ImportJob.objects.exists())

    def test_htmx_poll_returns_only_the_progress_block(self) -> None:
        job = self.make_job()
        response = self.client_for(self.ward_officer_a1).get(
            reverse("imports:detail", args=[job.pk]), headers={"HX-Request": "true"}
        )
        self.assertContains(response, 'id="job-progress"')
        self.assertNotContains(response, "<html")

    def test_report_download_is_audited(self) -> None:
        job = self.make_job()
        response = self.client_for(self.district_officer_a).get(reverse("imports:report", args=[job.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertTrue(
            AuditLog.objects.filter(event=Event.EXPORT, target_id=job.pk, actor=self.district_officer_a).exists()
        )

    def test_resume_requeues_a_failed_job(self) -> None:
        job = self.make_job()
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, processed_rows=0, created=0, rejected=0)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client_for(self.ward_officer_a1).post(reverse("imports:resume", args=[job.pk]))
        self.assertRedirects(response, reverse("imports:detail", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual((job.status, job.matched_existing), (JobStatus.DONE, 1))

    def test_permission_matrix(self) -> None:
        job = self.make_job()
        detail, report = reverse("imports:detail", args=[job.pk]), reverse("imports:report", args=[job.pk])
        allowed = [self.ward_officer_a1, self.district_officer_a, self.city_admin]
        self.assert_allowed(reverse("imports:list"), [*allowed, self.ward_officer_b1])
        self.assert_allowed(detail, allowed)
        self.assert_not_found(detail, [self.ward_officer_a2, self.ward_officer_b1, self.district_officer_b])
        self.assert_not_found(report, [self.ward_officer_a2, self.district_officer_b])
        for url in (reverse("imports:list"), detail, report):
            for user in (self.leader, self.steering, self.doctor_a1, self.team_member_a1):
                self.assertEqual(self.client_for(user).get(url).status_code, 403, f"{user.username} {url}")
        self.assertEqual(
            self.client_for(self.ward_officer_a2).post(reverse("imports:resume", args=[job.pk])).status_code, 404
        )
        anonymous = self.client.get(detail)
        self.assertEqual(anonymous.status_code, 302)
        self.assertIn(reverse("accounts:login"), anonymous["Location"])
