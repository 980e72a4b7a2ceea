"""The dose import: identity matching and the mismatch report, refused and flagged doses, re-import, summaries."""

import csv
import io
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

import phongdich.vaccination.importer  # noqa: F401  registers the "doses" importer
from phongdich.audit.models import AuditLog, Event
from phongdich.imports.engine import import_job_run
from phongdich.imports.models import ImportJob, JobStatus, Severity
from phongdich.imports.services import import_job_create
from phongdich.imports.tests.test_import_cases import xlsx_bytes as sheet_bytes
from phongdich.people.models import Person
from phongdich.rules.vaccination import DoseFact, dose_check, products_in_force
from phongdich.tests.test_api import ApiTestCase
from phongdich.vaccination.importer import dose_number_hint
from phongdich.vaccination.models import Dose, DoseKind, PersonVaccination, VaccinationStatus

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "CCCD", "SĐT", "Địa chỉ", "Phường/Xã", "Quận/Huyện",
          "Ngày tiêm", "Tên vắc xin", "Số lô", "Mũi thứ", "Điểm tiêm", "Đơn vị tiêm"]  # fmt: skip

HOA = {"Họ và tên": "Nguyễn Thị Hoà", "Ngày sinh": "15/06/1985", "Giới tính": "Nữ", "CCCD": "001185012345",
       "SĐT": "0912345678"}  # fmt: skip
BINH = {"Họ và tên": "Trần Văn Bình", "Ngày sinh": 1990, "Giới tính": "Nam", "CCCD": "", "SĐT": "0988000111"}


def xlsx_bytes(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    return sheet_bytes(rows, header)


def dose_row(n: int, person: dict[str, object], **overrides: object) -> list[object]:
    values = {
        "STT": n, "Địa chỉ": "12 Hàng Bún", "Phường/Xã": "Phường Phúc Xá", "Quận/Huyện": "Quận Ba Đình",
        "Ngày tiêm": date(2021, 8, 10), "Tên vắc xin": "AstraZeneca", "Số lô": "ABV1234", "Mũi thứ": "1",
        "Điểm tiêm": "Trạm y tế phường Phúc Xá", "Đơn vị tiêm": "TTYT Ba Đình", **person,
    }  # fmt: skip
    values.update(overrides)
    return [values[h] for h in HEADER]


class DoseImportTests(ApiTestCase):
    def setUp(self) -> None:
        # Already in the registry; the list spells the name differently and gives another birth date.
        self.cuong = self.create_person(
            full_name="Lê Văn Cường", birth_date=date(1990, 3, 1), birth_year=1990, national_id="001090011111",
            phone="0977000222",
        )  # fmt: skip

    def run_import(self, content: bytes, *, user=None, batch_size: int = 5000) -> ImportJob:  # type: ignore[no-untyped-def]
        job = import_job_create(
            actor=user or self.ward_officer_a1, file=io.BytesIO(content), name="mui-tiem.xlsx", kind="doses",
            enqueue=False,
        )  # fmt: skip
        return import_job_run(job=job, batch_size=batch_size)

    def issues(self, job: ImportJob) -> dict[int, list[tuple[str, str, str]]]:
        out: dict[int, list[tuple[str, str, str]]] = {}
        for issue in job.issues.all():
            out.setdefault(issue.row_number, []).append((issue.severity, issue.field, issue.message))
        return out

    def the_list(self) -> bytes:
        return xlsx_bytes([
            dose_row(1, HOA),  # row 2
            dose_row(2, HOA, **{"Ngày tiêm": date(2021, 10, 12), "Mũi thứ": "Mũi 2", "Số lô": "ABV2000"}),  # row 3
            dose_row(3, BINH, **{"Ngày tiêm": "01/11/2021", "Tên vắc xin": "Pfizer", "Mũi thứ": ""}),  # row 4
            dose_row(4, {"Họ và tên": "Lê Văn Cuong Sai", "Ngày sinh": "02/03/1990", "CCCD": "001090011111",
                         "Giới tính": "Nam", "SĐT": ""}, **{"Tên vắc xin": "Vero Cell", "Ngày tiêm": date(2021, 9, 1)}),
            dose_row(5, {"Họ và tên": "Phạm Bé Na", "Ngày sinh": "01/12/2021", "CCCD": "", "Giới tính": "Nữ",
                         "SĐT": "0911222333"}, **{"Ngày tiêm": date(2021, 10, 1), "Tên vắc xin": "Pfizer"}),  # row 6
            dose_row(6, BINH, **{"Ngày tiêm": "10/11/2021", "Tên vắc xin": "Comirnaty", "Mũi thứ": "2"}),  # row 7
            dose_row(7, HOA),  # row 8: the same as row 2
            dose_row(8, {"Họ và tên": "Đỗ Thị E", "Ngày sinh": 1970, "CCCD": "", "Giới tính": "Nữ",
                         "SĐT": "0903111222"}, **{"Tên vắc xin": "Vắc xin XYZ"}),  # row 9
        ])  # fmt: skip

    def test_a_list_with_every_kind_of_problem(self) -> None:
        job = self.run_import(self.the_list())
        self.assertEqual(job.status, JobStatus.DONE, job.error)
        self.assertEqual((job.total_rows, job.created, job.matched_existing, job.rejected), (8, 5, 1, 2))
        issues = self.issues(job)
        self.assertEqual(
            {row: {severity for severity, _f, _m in found} for row, found in issues.items()},
            {5: {Severity.DOUBTFUL}, 6: {Severity.REJECTED}, 7: {Severity.DOUBTFUL}, 8: {Severity.DOUBTFUL},
             9: {Severity.REJECTED}},
        )  # fmt: skip
        self.assertEqual(job.doubtful, 3)

        # Row 5: the CCCD's person is kept; the report gives both names and both birth dates.
        self.assertIn(
            (Severity.DOUBTFUL, "Họ và tên", "Lệch với sổ đăng ký (CCCD 001090011111): họ tên trong tệp "
             "“Lê Văn Cuong Sai”, trong sổ “Lê Văn Cường”; đã ghi mũi tiêm cho người trong sổ."), issues[5]
        )  # fmt: skip
        self.assertIn(
            (Severity.DOUBTFUL, "Ngày sinh", "Lệch với sổ đăng ký (CCCD 001090011111): ngày sinh trong tệp 02/03/1990, "
             "trong sổ 01/03/1990; đã ghi mũi tiêm cho người trong sổ."), issues[5]
        )  # fmt: skip
        cuong_dose = Dose.objects.get(person=self.cuong)
        self.assertEqual((cuong_dose.product, cuong_dose.kind), ("vero_cell", DoseKind.PRIMARY_1))
        self.cuong.refresh_from_db()
        self.assertEqual((self.cuong.full_name, self.cuong.birth_date), ("Lê Văn Cường", date(1990, 3, 1)))

        # Row 6: a dose before birth is refused with the rules' own message; no person is created for it.
        before_birth = dose_check(
            birth_date=date(2021, 12, 1), birth_year=2021, previous=[],
            dose=DoseFact(given_on=date(2021, 10, 1), product="pfizer", kind=DoseKind.PRIMARY_1),
        )  # fmt: skip
        self.assertTrue(any(blocking for _f, _m, blocking in before_birth))
        self.assertEqual([m for _s, _f, m in issues[6]], [m for _f, m, blocking in before_birth if blocking])
        self.assertFalse(Person.objects.filter(name_search="pham be na").exists())

        # Row 7: Pfizer 9 days after the first is kept and flagged with the rules' message.
        binh = Person.objects.get(name_search="tran van binh")
        first = DoseFact(given_on=date(2021, 11, 1), product="pfizer", kind=DoseKind.PRIMARY_1)
        too_early = dose_check(
            birth_date=None, birth_year=1990, previous=[first],
            dose=DoseFact(given_on=date(2021, 11, 10), product="pfizer", kind=DoseKind.PRIMARY_2),
        )  # fmt: skip
        self.assertTrue(too_early)
        self.assertFalse(any(blocking for _f, _m, blocking in too_early))
        self.assertEqual({m for _s, _f, m in issues[7]}, {m for _f, m, _b in too_early})
        self.assertEqual(
            list(binh.doses.order_by("given_on").values_list("given_on", "product", "kind")),
            [(date(2021, 11, 1), "pfizer", DoseKind.PRIMARY_1), (date(2021, 11, 10), "pfizer", DoseKind.PRIMARY_2)],
        )

        # Row 8 repeats row 2: counted as already there, said so, not written twice.
        self.assertEqual(
            issues[8],
            [(Severity.DOUBTFUL, "Ngày tiêm",
              "Trùng với dòng 2 (cùng người, cùng ngày tiêm 10/08/2021); không ghi thêm.")],
        )  # fmt: skip
        # Row 9: an unknown vaccine is refused and named.
        self.assertEqual(len(issues[9]), 1)
        self.assertEqual(issues[9][0][:2], (Severity.REJECTED, "Tên vắc xin"))
        self.assertIn("“Vắc xin XYZ”", issues[9][0][2])

        hoa = Person.objects.get(national_id="001185012345")
        self.assertEqual((hoa.full_name, hoa.birth_date, hoa.ward, hoa.phone), ("Nguyễn Thị Hoà", date(1985, 6, 15),
                                                                                 self.ward_a1, "0912345678"))  # fmt: skip
        doses = list(hoa.doses.order_by("given_on"))
        self.assertEqual([(d.kind, d.lot, d.ward_id) for d in doses],
                         [(DoseKind.PRIMARY_1, "ABV1234", self.ward_a1.pk), (DoseKind.PRIMARY_2, "ABV2000", self.ward_a1.pk)])  # fmt: skip
        self.assertEqual((doses[0].site, doses[0].given_by, doses[0].import_job_id),
                         ("Trạm y tế phường Phúc Xá", "TTYT Ba Đình", job.pk))  # fmt: skip
        self.assertEqual(Person.objects.count(), 3)  # Cường, Hoà, Bình

        # Summaries of everyone touched, refreshed once for the batch.
        summaries = {s.person_id: s for s in PersonVaccination.objects.all()}
        self.assertEqual(set(summaries), {hoa.pk, binh.pk, self.cuong.pk})
        self.assertEqual((summaries[hoa.pk].doses, summaries[hoa.pk].status), (2, VaccinationStatus.PRIMARY_COMPLETE))
        self.assertEqual(summaries[hoa.pk].last_dose_on, date(2021, 10, 12))
        self.assertEqual((summaries[self.cuong.pk].doses, summaries[self.cuong.pk].status),
                         (1, VaccinationStatus.PARTIAL))  # fmt: skip
        self.assertEqual(summaries[self.cuong.pk].next_kind, DoseKind.PRIMARY_2)
        self.assertGreater(summaries[self.cuong.pk].next_due_on, date(2021, 9, 1))
        self.assertEqual(summaries[binh.pk].doses, 2)

        audits = AuditLog.objects.filter(event=Event.IMPORT, target_id=job.pk)
        self.assertEqual(audits.count(), 1)
        extra = audits.get().extra
        self.assertEqual((extra["created"], extra["persons_created"], extra["identity_mismatches"]), (5, 2, 1))

    def test_reimporting_the_same_list_creates_nothing(self) -> None:
        content = self.the_list()
        first = self.run_import(content)
        doses, persons = Dose.objects.count(), Person.objects.count()
        again = self.run_import(content)
        self.assertEqual((again.created, again.matched_existing, again.rejected), (0, 6, 2))
        self.assertEqual((Dose.objects.count(), Person.objects.count()), (doses, persons))
        self.assertEqual(first.created, doses)
        # The identity mismatch and the duplicate row are still reported; the schedule flag is not repeated.
        self.assertEqual(set(self.issues(again)), {5, 6, 8, 9})

    def test_small_batches_give_the_same_result(self) -> None:
        job = self.run_import(self.the_list(), batch_size=3)
        self.assertEqual((job.created, job.matched_existing, job.rejected, job.doubtful), (5, 1, 2, 3))
        self.assertEqual(AuditLog.objects.filter(event=Event.IMPORT, target_id=job.pk).count(), 3)
        self.assertEqual(Dose.objects.count(), 5)

    def test_a_later_list_finds_persons_without_cccd_by_name_birth_year_and_phone(self) -> None:
        self.run_import(xlsx_bytes([dose_row(1, BINH, **{"Tên vắc xin": "Moderna", "Ngày tiêm": date(2021, 9, 1)})]))
        second = self.run_import(
            xlsx_bytes(
                [dose_row(1, BINH, **{"Tên vắc xin": "Spikevax", "Ngày tiêm": date(2021, 10, 1), "Mũi thứ": ""})]
            )
        )
        self.assertEqual((second.created, second.doubtful), (1, 0))
        binh = Person.objects.get(name_search="tran van binh")
        self.assertEqual(
            list(binh.doses.order_by("given_on").values_list("kind", flat=True)),
            [DoseKind.PRIMARY_1, DoseKind.PRIMARY_2],
        )
        self.assertEqual(binh.vaccination.status, VaccinationStatus.PRIMARY_COMPLETE)

    def test_another_vaccine_on_a_recorded_day_keeps_the_recorded_dose(self) -> None:
        self.run_import(xlsx_bytes([dose_row(1, HOA)]))
        job = self.run_import(xlsx_bytes([dose_row(1, HOA, **{"Tên vắc xin": "Moderna"})]))
        self.assertEqual((job.created, job.matched_existing, job.doubtful), (0, 1, 1))
        astrazeneca = dict(products_in_force(on=date(2021, 8, 10)))["astrazeneca"]
        self.assertEqual(
            self.issues(job)[2],
            [(Severity.DOUBTFUL, "Tên vắc xin",
              f"Đã có mũi tiêm ngày 10/08/2021 bằng vắc xin khác ({astrazeneca}); giữ mũi đã có, dòng này không ghi.")],
        )  # fmt: skip
        self.assertEqual(Dose.objects.get().product, "astrazeneca")

    def test_rows_refused_before_any_rule(self) -> None:
        job = self.run_import(
            xlsx_bytes([
                dose_row(1, HOA, **{"Họ và tên": ""}),
                dose_row(2, HOA, **{"Ngày tiêm": ""}),
                dose_row(3, HOA, **{"Ngày tiêm": "01/01/2099"}),
                dose_row(4, HOA, **{"Tên vắc xin": ""}),
                dose_row(5, HOA, **{"Phường/Xã": "Phường Phúc Tân", "Quận/Huyện": "Quận Hoàn Kiếm"}),
                dose_row(6, HOA, **{"Mũi thứ": "mũi đầu"}),
            ])
        )  # fmt: skip
        issues = self.issues(job)
        self.assertEqual((job.created, job.rejected), (1, 5))
        self.assertEqual(issues[2], [(Severity.REJECTED, "Họ và tên", "Thiếu họ và tên.")])
        self.assertEqual(issues[3], [(Severity.REJECTED, "Ngày tiêm", "Thiếu ngày tiêm.")])
        self.assertEqual(issues[4], [(Severity.REJECTED, "Ngày tiêm", "Ngày tiêm 01/01/2099 ở tương lai.")])
        self.assertEqual(issues[5], [(Severity.REJECTED, "Tên vắc xin", "Thiếu tên vắc xin.")])
        self.assertEqual(issues[6][0][:2], (Severity.REJECTED, "Phường/Xã"))
        self.assertIn("không thuộc địa bàn", issues[6][0][2])
        self.assertIn(
            (Severity.DOUBTFUL, "Mũi thứ", "Không hiểu mũi thứ “mũi đầu”; đã suy ra từ các mũi trước."), issues[7]
        )
        self.assertEqual(Dose.objects.get().kind, DoseKind.PRIMARY_1)

    def test_national_platform_export_as_csv(self) -> None:
        header = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CMND/CCCD", "Số điện thoại", "Xã/Phường",
                  "Quận/Huyện", "Tên vắc xin", "Số lô", "Ngày tiêm", "Mũi tiêm", "Cơ sở tiêm chủng"]  # fmt: skip
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(header)
        writer.writerow(["1", "Nguyen Thi Hoa", "15/06/1985", "Nữ", "001185012345", "912345678", "P. Phuc Xa",
                         "Q. Ba Dinh", "Vero Cell", "X1", "2021-07-01", "Mũi 1", "BV Xanh Pôn"])  # fmt: skip
        job = import_job_create(
            actor=self.ward_officer_a1, file=io.BytesIO(buffer.getvalue().encode("utf-8-sig")), name="xuat.csv",
            kind="doses", enqueue=False,
        )  # fmt: skip
        job = import_job_run(job=job)
        self.assertEqual((job.status, job.created, job.rejected), (JobStatus.DONE, 1, 0), job.error)
        dose = Dose.objects.select_related("person").get()
        self.assertEqual((dose.person.national_id, dose.person.phone), ("001185012345", "0912345678"))
        self.assertEqual((dose.product, dose.given_on, dose.given_by), ("vero_cell", date(2021, 7, 1), "BV Xanh Pôn"))

    def test_a_list_without_a_vaccine_column_fails_with_a_clear_message(self) -> None:
        header = [h for h in HEADER if h != "Tên vắc xin"]
        job = self.run_import(xlsx_bytes([dose_row(1, HOA)[: len(header)]], header=header))
        self.assertEqual((job.status, job.error), (JobStatus.FAILED, "Thiếu cột bắt buộc: Tên vắc xin."))

    def test_unknown_kind_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            import_job_create(actor=self.ward_officer_a1, file=io.BytesIO(b"x"), name="a.xlsx", kind="khac")

    def test_dose_number_words(self) -> None:
        cases = {"1": DoseKind.PRIMARY_1, "Mũi 2": DoseKind.PRIMARY_2, "2.0": DoseKind.PRIMARY_2, "Mũi 3": "",
                 "4": "", "": "", "Bổ sung": DoseKind.ADDITIONAL, "Mũi nhắc lại": "booster",
                 "Nhắc lại lần 2": DoseKind.BOOSTER_2, "mũi đầu": None}  # fmt: skip
        for text, expected in cases.items():
            self.assertEqual(dose_number_hint(text), expected, text)

    def test_upload_page_and_api_offer_the_dose_list(self) -> None:
        content = xlsx_bytes([dose_row(1, HOA)])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client_for(self.ward_officer_a1).post(
                "/nhap/", {"kind": "doses", "file": SimpleUploadedFile("mui.xlsx", content)}
            )
        self.assertEqual(response.status_code, 302)
        job = ImportJob.objects.get()
        self.assertEqual((job.kind, job.status, job.created), ("doses", JobStatus.DONE, 1))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.api(self.district_officer_a).post(
                "/api/v1/imports", {"kind": "doses", "file": SimpleUploadedFile("mui.xlsx", content)}
            )
        self.assertEqual(response.status_code, 202, response.content)
        self.assertEqual(response.json()["kind"], "doses")
        detail = self.api(self.district_officer_a).get(f"/api/v1/imports/{response.json()['id']}").json()
        self.assertEqual((detail["created"], detail["matched_existing"]), (0, 1))
        self.assertEqual(Dose.objects.count(), 1)
        for user in (self.leader, self.doctor_a1, self.team_member_a1, self.steering, self.hotline):
            response = self.api(user).post(
                "/api/v1/imports", {"kind": "doses", "file": SimpleUploadedFile("m.xlsx", content)}
            )
            self.assertEqual(response.status_code, 403, user.username)
