"""The report page, print view, JSON API and xlsx export: scoping, defaults, bad input, the file itself."""

import io
import tempfile
import zipfile
from datetime import date, datetime
from unittest.mock import patch
from zoneinfo import ZoneInfo

from django.test import override_settings
from django.urls import reverse

from phongdich.reports.models import ExportStatus, ReportExport
from phongdich.reports.tallies import tallies_rebuild
from phongdich.testing import PhongdichTestCase

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2022, 2, 10, 12, tzinfo=HANOI)
URL = reverse("reports:situation")


class ReportData(PhongdichTestCase):
    """Four F0 entered on 08/02/2022: two in ward A1, one in A2 (district A), one in B1 (district B)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        self = cls()
        for n, ward in enumerate((cls.ward_a1, cls.ward_a1, cls.ward_a2, cls.ward_b1)):
            with patch("django.utils.timezone.now", return_value=datetime(2022, 2, 8, 9 + n, tzinfo=HANOI)):
                self.create_case(
                    ward=ward, person=self.create_person(ward=ward, full_name=f"Ca {n}"), confirmed_on=date(2022, 2, 8)
                )
        tallies_rebuild()

    def get(self, user, **params):  # type: ignore[no-untyped-def]
        with patch("django.utils.timezone.now", return_value=NOW):
            return self.client_for(user).get(URL, params)


class ReportPageTest(ReportData):
    def test_default_is_the_last_seven_report_days_of_the_users_area(self) -> None:
        response = self.get(self.district_officer_a)
        report = response.context["report"]
        self.assertEqual(
            (report.start, report.end, report.area), (date(2022, 2, 4), date(2022, 2, 10), self.district_a)
        )
        self.assertEqual(report.current.new_total, 3)
        self.assertContains(response, "ghi nhận 3 ca mắc mới, trung bình 0,4 ca/ngày, cao nhất 3 ca ngày 08/02")
        self.assertEqual(self.get(self.steering).context["report"].current.new_total, 4)
        self.assertEqual(self.get(self.ward_officer_a1).context["report"].current.new_total, 2)

    def test_area_and_period_picked_within_scope(self) -> None:
        response = self.get(self.steering, district=self.district_b.pk, start="08/02/2022", end="08/02/2022")
        report = response.context["report"]
        self.assertEqual((report.area, report.current.new_total, report.current.days), (self.district_b, 1, 1))
        # A district officer cannot pick a ward of another district: the form refuses it, the user's area is shown.
        response = self.get(self.district_officer_a, ward=self.ward_b1.pk)
        self.assertEqual(response.context["report"].area, self.district_a)

    def test_bad_period_is_told_on_the_field(self) -> None:
        response = self.get(self.steering, start="09/02/2022", end="01/02/2022")
        self.assertContains(response, "“Đến ngày” phải sau hoặc bằng “từ ngày”.")
        response = self.get(self.steering, start="01/01/2020", end="09/02/2022")
        self.assertContains(response, "Kỳ báo cáo dài tối đa 366 ngày.")

    def test_print_view_has_no_navigation(self) -> None:
        response = self.get(self.steering, **{"in": "1"})
        self.assertContains(response, "@page { size: A4")
        self.assertNotContains(response, 'class="topbar"')
        self.assertContains(response, "Ca mắc mới theo ngày báo cáo")

    def test_permissions(self) -> None:
        self.assert_login_required(URL)
        self.assert_allowed(URL, self.everyone)


class ReportApiTest(ReportData):
    def api(self, user, **params):  # type: ignore[no-untyped-def]
        with patch("django.utils.timezone.now", return_value=NOW):
            return self.client_for(user).get("/api/v1/reports/situation", params)

    def test_json_report_of_an_area_by_code(self) -> None:
        body = self.api(self.steering, area=self.district_a.code, start="2022-02-08", end="2022-02-09").json()
        self.assertEqual(body["area"]["code"], self.district_a.code)
        self.assertEqual(body["current"]["new_total"], 3)
        self.assertEqual([d["total"] for d in body["days"]], [3, 0])
        self.assertEqual(body["previous"]["start"], "2022-02-06")
        self.assertEqual(next(c for c in body["comparison"] if c["key"] == "new_total")["difference"], 3)

    def test_outside_the_users_area_is_not_found_and_bad_dates_are_refused(self) -> None:
        self.assertEqual(self.api(self.district_officer_b, area=self.ward_a1.code).status_code, 404)
        self.assertEqual(self.api(self.district_officer_b, area="99999").status_code, 404)
        response = self.api(self.steering, start="2022-02-09", end="2022-02-01")
        self.assertEqual(response.status_code, 422)
        self.assertIn("Đến ngày", str(response.json()))


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="phongdich-reports-"))
class ReportExportTest(ReportData):
    def export(self, user, **data):  # type: ignore[no-untyped-def]
        values = {"start": "08/02/2022", "end": "09/02/2022", **data}
        with patch("django.utils.timezone.now", return_value=NOW), self.captureOnCommitCallbacks(execute=True):
            return self.client_for(user).post(reverse("reports:export_create"), values)

    def test_export_runs_in_the_worker_and_downloads_a_briefing(self) -> None:
        response = self.export(self.district_officer_a)
        export = ReportExport.objects.get()
        self.assertRedirects(response, reverse("reports:export", args=[export.pk]), fetch_redirect_response=False)
        self.assertEqual((export.status, export.progress, export.area), (ExportStatus.DONE, 100, self.district_a))
        client = self.client_for(self.district_officer_a)
        self.assertContains(client.get(reverse("reports:export", args=[export.pk]), HTTP_HX_REQUEST="true"), "tai-ve")
        download = client.get(reverse("reports:export_download", args=[export.pk]))
        content = b"".join(download.streaming_content)
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            strings = book.read("xl/sharedStrings.xml").decode()
        self.assertIn("BÁO CÁO TÌNH HÌNH DỊCH COVID-19 — QUẬN BA ĐÌNH", strings)
        for heading in ("I. SỐ LIỆU CHÍNH", "II. CA MẮC MỚI THEO NGÀY BÁO CÁO", "III. ĐANG ĐIỀU TRỊ", "IV. NHẬN ĐỊNH"):
            self.assertIn(heading, strings)
        # Someone else's export is not found.
        for user in (self.steering, self.district_officer_b):
            self.assertEqual(
                self.client_for(user).get(reverse("reports:export_download", args=[export.pk])).status_code, 404
            )

    def test_export_is_scoped_and_validated(self) -> None:
        self.export(self.district_officer_a, ward=self.ward_b1.pk)  # not a choice: refused by the form
        self.assertFalse(ReportExport.objects.exists())
        self.export(self.steering, start="09/02/2022", end="01/02/2022")
        self.assertFalse(ReportExport.objects.exists())
        self.export(self.steering, district=self.district_b.pk)
        self.assertEqual(ReportExport.objects.get().area, self.district_b)
        self.assert_status(reverse("reports:export_create"), [self.steering], 405)
