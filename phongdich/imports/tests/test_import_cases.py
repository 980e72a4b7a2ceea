"""The F0 import: column mapping, every kind of bad input, idempotency, scoping and resumption."""

import csv
import io
from datetime import date

import xlsxwriter
from django.core.exceptions import ValidationError
from django.test import override_settings
from python_calamine import CalamineWorkbook

import phongdich.cases.importer
from phongdich.audit.models import AuditLog, Event
from phongdich.cases import models as case_models
from phongdich.cases.models import Case
from phongdich.imports.engine import import_job_run
from phongdich.imports.models import ImportJob, JobStatus, Severity
from phongdich.imports.services import import_job_create
from phongdich.people.models import Person
from phongdich.testing import PhongdichTestCase

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "CCCD/CMND", "Số điện thoại", "Địa chỉ", "Phường/Xã",
          "Quận/Huyện", "Ngày lấy mẫu", "Ngày có kết quả", "Loại xét nghiệm"]  # fmt: skip


def xlsx_bytes(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, header)
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, date_format)
            elif value is not None:
                sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def good_row(n: int = 1, **overrides: object) -> list[object]:
    values = {
        "STT": n, "Họ và tên": "Nguyễn Thị Hoà", "Ngày sinh": "15/06/1985", "Giới tính": "Nữ",
        "CCCD/CMND": "001185012345", "Số điện thoại": "0912345678", "Địa chỉ": "12 Hàng Bún",
        "Phường/Xã": "Phường Phúc Xá", "Quận/Huyện": "Quận Ba Đình", "Ngày lấy mẫu": date(2022, 2, 20),
        "Ngày có kết quả": date(2022, 2, 21), "Loại xét nghiệm": "RT-PCR",
    }  # fmt: skip
    values.update(overrides)
    return [values[h] for h in HEADER]


class CaseImportTests(PhongdichTestCase):
    def run_import(self, content: bytes, *, name: str = "f0.xlsx", user=None) -> ImportJob:  # type: ignore[no-untyped-def]
        job = import_job_create(actor=user or self.ward_officer_a1, file=io.BytesIO(content), name=name, enqueue=False)
        return import_job_run(job=job)

    def issues(self, job: ImportJob) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for issue in job.issues.all():
            out.setdefault(issue.row_number, []).append(f"{issue.severity}:{issue.field}:{issue.message}")
        return out

    def test_good_rows_create_persons_and_cases(self) -> None:
        job = self.run_import(
            xlsx_bytes([good_row(1), good_row(2, **{"Họ và tên": "Trần Văn Bình", "CCCD/CMND": "001090011111"})])
        )
        self.assertEqual((job.status, job.total_rows, job.created, job.rejected), (JobStatus.DONE, 2, 2, 0))
        case = Case.objects.get(person__national_id="001185012345")
        self.assertEqual(case.ward, self.ward_a1)
        self.assertEqual(case.confirmed_on, date(2022, 2, 21))
        self.assertEqual(case.test_kind, case_models.TestKind.RT_PCR)
        self.assertEqual(case.age, 36)
        self.assertEqual(case.person.full_name, "Nguyễn Thị Hoà")
        self.assertEqual(case.person.name_search, "nguyen thi hoa")
        self.assertTrue(AuditLog.objects.filter(event=Event.IMPORT, target_id=job.pk).exists())

    def test_reimporting_the_same_file_creates_nothing(self) -> None:
        content = xlsx_bytes(
            [good_row(1), good_row(2, **{"CCCD/CMND": "", "Họ và tên": "Lê Văn Cường", "Số điện thoại": "0988000111"})]
        )
        first = self.run_import(content)
        second = self.run_import(content)
        self.assertEqual(first.created, 2)
        self.assertEqual((second.created, second.matched_existing), (0, 2))
        self.assertEqual(Case.objects.count(), 2)
        self.assertEqual(Person.objects.count(), 2)

    def test_reimport_finds_persons_known_only_by_name_and_phone_or_by_name(self) -> None:
        rows = [
            good_row(
                1, **{"CCCD/CMND": "", "Ngày sinh": "", "Họ và tên": "Trần Duy Kiên", "Số điện thoại": "0823897213"}
            ),
            good_row(2, **{"CCCD/CMND": "", "Ngày sinh": "", "Họ và tên": "Bùi Văn Khánh", "Số điện thoại": ""}),
        ]
        self.assertEqual(self.run_import(xlsx_bytes(rows)).created, 2)
        again = self.run_import(xlsx_bytes(rows))
        self.assertEqual((again.created, again.matched_existing), (0, 2))
        self.assertEqual(Person.objects.count(), 2)

    def test_bad_values_are_reported_by_row_and_field_and_good_rows_kept(self) -> None:
        rows = [
            good_row(1),
            good_row(2, **{"Họ và tên": ""}),
            good_row(3, **{"Họ và tên": "Phạm Văn D", "CCCD/CMND": "12345", "Số điện thoại": "123"}),
            good_row(4, **{"Họ và tên": "Đỗ Thị E", "CCCD/CMND": "", "Phường/Xã": "Phường Không Tồn Tại"}),
            good_row(5, **{"Họ và tên": "Vũ Văn G", "CCCD/CMND": "", "Ngày có kết quả": "ngày mai"}),
            [None] * len(HEADER),
            good_row(7, **{"Họ và tên": "Hồ Thị H", "CCCD/CMND": "", "Ngày sinh": 1990, "Ngày có kết quả": "21/2/22"}),
            good_row(
                8,
                **{
                    "Họ và tên": "Ngô Văn I",
                    "CCCD/CMND": "",
                    "Ngày có kết quả": 44613,
                    "Phường/Xã": "P. Truc Bach",
                    "Quận/Huyện": "",
                },
            ),
        ]
        job = self.run_import(xlsx_bytes(rows), user=self.district_officer_a)
        issues = self.issues(job)
        self.assertEqual(job.total_rows, 7)  # the empty row is skipped
        self.assertEqual(job.rejected, 3)
        self.assertEqual(job.created, 4)
        self.assertIn("rejected:Họ và tên:Thiếu họ và tên.", issues[3])
        self.assertTrue(any("doubtful:CCCD/CMND:CCCD phải có 12 chữ số" in m for m in issues[4]))
        self.assertTrue(any("doubtful:Số điện thoại" in m for m in issues[4]))
        self.assertTrue(any("Không tìm thấy phường/xã “Phường Không Tồn Tại”" in m for m in issues[5]))
        self.assertTrue(any("rejected:Ngày có kết quả" in m and "dd/mm/yyyy" in m for m in issues[6]))
        hoa = Case.objects.get(person__full_name="Hồ Thị H")
        self.assertEqual(
            (hoa.confirmed_on, hoa.person.birth_year, hoa.person.birth_date), (date(2022, 2, 21), 1990, None)
        )
        ngo = Case.objects.get(person__full_name="Ngô Văn I")
        self.assertEqual((ngo.confirmed_on, ngo.ward), (date(2022, 2, 21), self.ward_a2))
        d = Person.objects.get(full_name="Phạm Văn D")
        self.assertEqual((d.national_id, d.phone), (None, ""))

    def test_row_report_lists_rejected_rows_in_vietnamese(self) -> None:
        job = self.run_import(xlsx_bytes([good_row(1), good_row(2, **{"Họ và tên": ""})]))
        sheet = CalamineWorkbook.from_path(job.report.path).get_sheet_by_index(0).to_python()
        self.assertEqual(sheet[0][:4], ["Dòng", "Kết quả", "Cột", "Lý do"])
        rejected = [r for r in sheet[1:] if r[1] == "Bị từ chối"]
        self.assertEqual(len(rejected), 1)
        self.assertEqual((rejected[0][0], rejected[0][3]), (3.0, "Thiếu họ và tên."))

    def test_ward_outside_the_importers_area_is_rejected(self) -> None:
        job = self.run_import(xlsx_bytes([good_row(1, **{"Phường/Xã": "Phúc Tân", "Quận/Huyện": "Hoàn Kiếm"})]))
        self.assertEqual((job.created, job.rejected), (0, 1))
        self.assertIn("không thuộc địa bàn", job.issues.get(severity=Severity.REJECTED).message)

    def test_wrong_district_with_unique_ward_is_kept_as_doubtful(self) -> None:
        job = self.run_import(xlsx_bytes([good_row(1, **{"Quận/Huyện": "Quận Hoàn Kiếm"})]))
        self.assertEqual((job.created, job.doubtful), (1, 1))
        self.assertEqual(Case.objects.get().ward, self.ward_a1)

    def test_same_person_twice_in_one_file_is_one_case(self) -> None:
        job = self.run_import(xlsx_bytes([good_row(1), good_row(2)]))
        self.assertEqual((job.created, job.matched_existing), (1, 1))

    def test_existing_person_is_matched_by_national_id(self) -> None:
        person = self.create_person(full_name="Nguyễn Thị Hoà", national_id="001185012345")
        job = self.run_import(xlsx_bytes([good_row(1)]))
        self.assertEqual(Case.objects.get().person, person)
        self.assertEqual(job.created, 1)

    def test_csv_with_semicolons_and_bom(self) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(HEADER)
        writer.writerow(good_row(1, **{"Ngày lấy mẫu": "20/02/2022", "Ngày có kết quả": "2022-02-21"}))
        job = self.run_import(buffer.getvalue().encode("utf-8-sig"), name="f0.csv")
        self.assertEqual((job.status, job.created), (JobStatus.DONE, 1))

    def test_unknown_columns_are_noted_and_missing_required_column_fails_the_job(self) -> None:
        job = self.run_import(xlsx_bytes([[*good_row(1), "x"]], header=[*HEADER, "Cột lạ"]))
        self.assertTrue(job.issues.filter(message__contains="Cột lạ").exists())
        job = self.run_import(xlsx_bytes([["A", "1990"]], header=["Họ và tên", "Ngày sinh"]))
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertIn("Thiếu cột bắt buộc: Ngày có kết quả", job.error)

    def test_files_that_are_not_spreadsheets(self) -> None:
        job = self.run_import(b"%PDF-1.4 not a sheet", name="f0.xlsx")
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertIn("Không đọc được tệp bảng tính", job.error)
        with self.assertRaisesMessage(ValidationError, "không phải bảng tính"):
            self.run_import(b"hello", name="f0.pdf")
        with self.assertRaisesMessage(ValidationError, "Tệp rỗng"):
            self.run_import(b"", name="f0.xlsx")
        job = self.run_import(xlsx_bytes([], header=["Ghi chú"]))
        self.assertEqual(job.status, JobStatus.FAILED)

    @override_settings(PHONGDICH_IMPORT_MAX_BYTES=1024)
    def test_too_large_file_is_refused_with_a_message(self) -> None:
        with self.assertRaisesMessage(ValidationError, "vượt giới hạn"):
            self.run_import(b"x" * 2048, name="f0.csv")

    def test_resume_after_a_crash_continues_after_the_last_committed_batch(self) -> None:
        rows = [good_row(i, **{"Họ và tên": f"Người Số {i}", "CCCD/CMND": f"0011850{i:05d}"}) for i in range(1, 8)]
        job = import_job_create(
            actor=self.ward_officer_a1, file=io.BytesIO(xlsx_bytes(rows)), name="f0.xlsx", enqueue=False
        )
        write_batch = phongdich.cases.importer.CaseImporter.write_batch
        calls = {"n": 0}

        def crash_on_second_batch(self, prepared):  # type: ignore[no-untyped-def]
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("mất điện")
            return write_batch(self, prepared)

        phongdich.cases.importer.CaseImporter.write_batch = crash_on_second_batch  # type: ignore[method-assign]
        try:
            with self.assertRaises(RuntimeError):
                import_job_run(job=job, batch_size=3)
        finally:
            phongdich.cases.importer.CaseImporter.write_batch = write_batch  # type: ignore[method-assign]
        job.refresh_from_db()
        self.assertEqual((job.processed_rows, job.created, Case.objects.count()), (3, 3, 3))
        job = import_job_run(job=job, batch_size=3)
        self.assertEqual((job.status, job.processed_rows, job.created, Case.objects.count()), (JobStatus.DONE, 7, 7, 7))
