"""Importing F0 lists (from test sites, labs, hotlines) through the shared import engine.

A row is rejected only when the F0 cannot be placed: no name, no valid positive date, or no
ward in the importer's area. A bad CCCD, phone or birth date is dropped and the row kept as
"doubtful", because losing an F0 over a typo is worse than a blank field.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongdich.areas.matching import WardMatcher
from phongdich.areas.models import Area
from phongdich.areas.scoping import ward_ids
from phongdich.areas.selectors import province
from phongdich.cases.models import Case, Source, Status, TestKind
from phongdich.cases.services import age_at, case_codes_allocate, is_high_risk
from phongdich.imports.bulk import bulk_insert, select_in
from phongdich.imports.columns import PERSON_SYNONYMS
from phongdich.imports.engine import BatchOutcome, Row, register
from phongdich.imports.models import ImportIssue, ImportJob, Severity
from phongdich.people.identity import (
    InvalidValue,
    ProbableKey,
    national_id_conflicts,
    parse_birth,
    parse_date,
    parse_national_id,
    parse_phone,
    parse_sex,
    probable_key,
)
from phongdich.people.models import Person
from phongdich.reports.days import report_day
from phongdich.reports.tallies import tallies_touch
from phongdich.rules.registry import NoRuleInForce
from phongdich.rules.release import release_plan
from phongdich.vntext import fold, nfc

SYNONYMS: dict[str, tuple[str, ...]] = {
    **PERSON_SYNONYMS,
    "full_name": (*PERSON_SYNONYMS["full_name"], "ho va ten benh nhan", "ho ten benh nhan", "ten benh nhan"),
    "sampled_on": ("ngay lay mau", "ngay xet nghiem", "ngay test"),
    "confirmed_on": ("ngay co ket qua", "ngay ket qua", "ngay co kq", "ngay duong tinh", "ngay tra ket qua",
                     "ngay xac dinh f0", "ngay phat hien"),
    "test_kind": ("loai xet nghiem", "loai xn", "phuong phap xet nghiem", "hinh thuc xet nghiem", "xet nghiem"),
    "source": ("nguon", "nguon phat hien", "phan loai", "nguon lay nhiem"),
    "pregnant": ("mang thai", "co thai", "dang mang thai"),
}  # fmt: skip

_TEST_KINDS = {
    "rt-pcr": TestKind.RT_PCR, "rtpcr": TestKind.RT_PCR, "pcr": TestKind.RT_PCR, "rt pcr": TestKind.RT_PCR,
    "test nhanh": TestKind.RAPID_ANTIGEN, "tnkn": TestKind.RAPID_ANTIGEN, "test nhanh khang nguyen": TestKind.RAPID_ANTIGEN,
    "khang nguyen": TestKind.RAPID_ANTIGEN, "rat": TestKind.RAPID_ANTIGEN,
    "tu test": TestKind.SELF_TEST_CONFIRMED, "tu test nhanh": TestKind.SELF_TEST_CONFIRMED,
}  # fmt: skip
_SOURCES = {
    "cong dong": Source.COMMUNITY, "dang cach ly": Source.QUARANTINE, "cach ly": Source.QUARANTINE,
    "khu cach ly": Source.QUARANTINE, "f1": Source.F1, "f1 chuyen f0": Source.F1, "tu tinh khac": Source.ARRIVAL,
    "ngoai tinh": Source.ARRIVAL, "tinh khac": Source.ARRIVAL,
}  # fmt: skip
COLUMN_TITLES = {
    "full_name": gettext_lazy("Họ và tên"),
    "birth": gettext_lazy("Ngày sinh"),
    "sex": gettext_lazy("Giới tính"),
    "national_id": gettext_lazy("CCCD/CMND"),
    "phone": gettext_lazy("Số điện thoại"),
    "ward": gettext_lazy("Phường/Xã"),
    "confirmed_on": gettext_lazy("Ngày có kết quả"),
    "sampled_on": gettext_lazy("Ngày lấy mẫu"),
    "test_kind": gettext_lazy("Loại xét nghiệm"),
}
_YES = {"x", "co", "1", "yes", "true", "mang thai", "co thai"}


@dataclass
class ParsedRow:
    row: Row
    full_name: str
    ward: Area
    confirmed_on: date
    test_kind: str
    source: str
    sampled_on: date | None = None
    birth_date: date | None = None
    birth_year: int | None = None
    sex: str = ""
    national_id: str | None = None
    phone: str = ""
    address: str = ""
    pregnant: bool = False
    name_search: str = ""
    probable_person: int | None = None  # an existing person matched by name, birth year and phone
    doubts: list[tuple[str, str]] = field(default_factory=list)  # (column title, message)

    @property
    def probable_key(self) -> ProbableKey:
        return probable_key(self.name_search, self.birth_year, self.phone, self.ward.pk)


@register("cases")
class CaseImporter:
    synonyms = SYNONYMS

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.matcher = WardMatcher.for_province(province())
        self.allowed_ward_ids = set(ward_ids(job.area).values_list("pk", flat=True))
        self.created_now: set[int] = set()  # persons created by the batch in progress
        self.today = timezone.localdate()
        self.probable_message = _(
            "Trùng họ tên, năm sinh và số điện thoại với người đã có (mã người %(pk)d); đã dùng người này."
        )
        # Column titles for messages, translated once rather than per row.
        self.titles = {name: str(title) for name, title in COLUMN_TITLES.items()}
        self.required = {"full_name": self.titles["full_name"], "confirmed_on": self.titles["confirmed_on"]}

    def parse_batch(self, rows: list[Row]) -> tuple[list[ParsedRow], BatchOutcome]:
        """Parse and check a batch in memory, before the batch's transaction opens."""
        outcome = BatchOutcome()
        self.today = timezone.localdate()
        parsed: list[ParsedRow] = []
        for row in rows:
            result = self.parse(row)
            if isinstance(result, ParsedRow):
                parsed.append(result)
            else:
                outcome.rejected += 1
                column, message = result
                outcome.issues.append(self.issue(row, Severity.REJECTED, column, message))
        return parsed, outcome

    def write_batch(self, prepared: tuple[list[ParsedRow], BatchOutcome]) -> BatchOutcome:
        parsed, outcome = prepared
        persons = self.resolve_persons(parsed, outcome)
        self.write_cases(parsed, persons, outcome)
        return outcome

    # --- one row -------------------------------------------------------------------------

    def parse(self, row: Row) -> ParsedRow | tuple[str, str]:
        """A ParsedRow, or (column, Vietnamese reason) when the row must be rejected."""
        full_name = nfc(row.text("full_name"))
        if not full_name:
            return self.titles["full_name"], _("Thiếu họ và tên.")
        raw_confirmed = row.get("confirmed_on")
        if raw_confirmed in (None, ""):
            return self.titles["confirmed_on"], _("Thiếu ngày có kết quả dương tính.")
        try:
            confirmed_on = parse_date(raw_confirmed)
        except InvalidValue as error:
            return self.titles["confirmed_on"], str(error)
        if confirmed_on > self.today:
            return self.titles["confirmed_on"], _("Ngày có kết quả %(day)s ở tương lai.") % {
                "day": f"{confirmed_on:%d/%m/%Y}"
            }
        match = self.matcher.match(
            ward_text=row.text("ward"), district_text=row.text("district"), address=row.text("address")
        )
        if match.ward is None:
            return self.titles["ward"], match.problem
        if match.ward.pk not in self.allowed_ward_ids:
            return self.titles["ward"], _("%(ward)s không thuộc địa bàn %(area)s của bạn.") % {
                "ward": match.ward.name, "area": self.job.area.name}  # fmt: skip
        doubts: list[tuple[str, str]] = [(self.titles["ward"], match.problem)] if match.doubtful else []
        parsed = ParsedRow(
            row=row, full_name=full_name, ward=match.ward, confirmed_on=confirmed_on,
            test_kind=TestKind.RT_PCR, source=Source.COMMUNITY, address=nfc(row.text("address")), doubts=doubts,
            name_search=fold(full_name),
        )  # fmt: skip
        self.parse_optional(row, parsed)
        return parsed

    def parse_optional(self, row: Row, p: ParsedRow) -> None:
        """Fields whose bad value is dropped with a note; the row is kept."""
        checks = (
            ("birth", self._birth),
            ("sex", self._sex),
            ("national_id", self._national_id),
            ("phone", self._phone),
            ("sampled_on", self._sampled_on),
        )
        for name, apply in checks:
            title = self.titles[name]
            value = row.get(name)
            if value in (None, ""):
                continue
            try:
                apply(p, value)
            except InvalidValue as error:
                p.doubts.append((title, _("%(error)s Đã bỏ trống trường này.") % {"error": error}))
        if p.national_id:
            conflict = national_id_conflicts(p.national_id, birth_year=p.birth_year, sex=p.sex)
            if conflict:
                p.doubts.append((self.titles["national_id"], conflict))
        if (p.birth_year and p.birth_year > p.confirmed_on.year) or (p.birth_date and p.birth_date > p.confirmed_on):
            p.doubts.append(
                (self.titles["birth"], _("Ngày sinh sau ngày có kết quả dương tính; đã bỏ trống ngày sinh."))
            )
            p.birth_date = p.birth_year = None
        if p.sampled_on and p.sampled_on > p.confirmed_on:
            p.doubts.append((self.titles["sampled_on"], _("Ngày lấy mẫu sau ngày có kết quả.")))
        kind_text = fold(row.text("test_kind"))
        if kind_text:
            kind = _TEST_KINDS.get(kind_text)
            if kind is None:
                p.doubts.append(
                    (
                        _("Loại xét nghiệm"),
                        _("Không hiểu loại xét nghiệm “%(v)s”; tạm ghi RT-PCR.") % {"v": row.text("test_kind")},
                    )
                )
            else:
                p.test_kind = kind
        source = _SOURCES.get(fold(row.text("source")))
        if source:
            p.source = source
        p.pregnant = fold(row.text("pregnant")) in _YES

    @staticmethod
    def _birth(p: ParsedRow, value: object) -> None:
        p.birth_date, p.birth_year = parse_birth(value)

    @staticmethod
    def _sex(p: ParsedRow, value: object) -> None:
        p.sex = parse_sex(str(value))

    @staticmethod
    def _national_id(p: ParsedRow, value: object) -> None:
        p.national_id = parse_national_id(str(value))

    @staticmethod
    def _phone(p: ParsedRow, value: object) -> None:
        p.phone = parse_phone(str(value))

    @staticmethod
    def _sampled_on(p: ParsedRow, value: object) -> None:
        p.sampled_on = parse_date(value)

    # --- the batch -----------------------------------------------------------------------

    def resolve_persons(self, parsed: list[ParsedRow], outcome: BatchOutcome) -> list[int]:
        """The person id of each parsed row: the same CCCD is the same person; otherwise the same
        name, birth year and phone is a probable match (reused, and said so); otherwise a new person."""
        national_ids = list({p.national_id for p in parsed if p.national_id})
        by_national_id = dict(
            select_in("SELECT national_id, id FROM people_person WHERE national_id {in}", national_ids)
        )
        keyed = {p.probable_key for p in parsed}
        by_key: dict[ProbableKey, tuple[int, str | None]] = {}
        columns = "SELECT id, name_search, birth_year, phone, national_id, ward_id FROM people_person"
        rows = select_in(
            columns + " WHERE merged_into_id IS NULL AND phone {in}", list({k[2] for k in keyed if k[2]})
        ) + select_in(
            columns + " WHERE merged_into_id IS NULL AND phone = '' AND name_search {in}",
            list({k[0] for k in keyed if not k[2]}),
        )
        for pk, name, year, phone, national_id, ward_id in rows:
            key = probable_key(name, year, phone, ward_id)
            if key in keyed:
                by_key.setdefault(key, (pk, national_id))
        person_ids: list[int] = []
        new_rows: list[dict[str, object]] = []
        new_index: dict[int, int] = {}  # position in parsed → position in new_rows
        batch_new: dict[str | ProbableKey, int] = {}  # national id or probable key → position in new_rows
        for i, p in enumerate(parsed):
            pk = by_national_id.get(p.national_id) if p.national_id else None
            key = p.probable_key
            if pk is None and key in by_key:
                candidate, candidate_id = by_key[key]
                if not (p.national_id and candidate_id):  # two different CCCDs are two people
                    pk = p.probable_person = candidate
            if pk is None:
                marker = p.national_id or key
                if marker in batch_new:
                    new_index[i] = batch_new[marker]
                else:
                    batch_new[marker] = new_index[i] = len(new_rows)
                    new_rows.append(self.person_row(p))
            person_ids.append(pk or 0)
        created_ids = bulk_insert(Person, new_rows, fields=list(new_rows[0]) if new_rows else [])
        self.created_now = set(created_ids)
        for i, position in new_index.items():
            person_ids[i] = created_ids[position]
        outcome.summary["persons_created"] = len(created_ids)
        return person_ids

    def person_row(self, p: ParsedRow) -> dict[str, object]:
        now = timezone.now()
        return {
            "full_name": p.full_name, "name_search": p.name_search, "birth_date": p.birth_date,
            "birth_year": p.birth_year, "sex": p.sex, "national_id": p.national_id, "phone": p.phone,
            "address": p.address, "ward_id": p.ward.pk, "pregnant": p.pregnant, "merged_into_id": None,
            "created_at": now, "updated_at": now, "created_by_id": self.job.created_by_id, "import_job_id": self.job.pk,
        }  # fmt: skip

    def write_cases(self, parsed: list[ParsedRow], person_ids: list[int], outcome: BatchOutcome) -> None:
        # Only persons who existed before this batch can already have cases or conditions.
        known = list(set(person_ids) - self.created_now)
        existing = set(select_in("SELECT person_id, confirmed_on FROM cases_case WHERE person_id {in}", known))
        if connection.vendor != "postgresql":  # SQLite hands dates back as text here
            existing = {(pk, date.fromisoformat(day) if isinstance(day, str) else day) for pk, day in existing}
        with_condition = {
            pk for (pk,) in select_in("SELECT person_id FROM people_person_conditions WHERE person_id {in}", known)
        }
        new: list[tuple[ParsedRow, int]] = []
        for p, person_id in zip(parsed, person_ids, strict=True):
            if (person_id, p.confirmed_on) in existing:
                outcome.matched_existing += 1
                if p.doubts:
                    outcome.doubtful += 1
                    outcome.issues.extend(self.issue(p.row, Severity.DOUBTFUL, c, m) for c, m in p.doubts)
                continue
            existing.add((person_id, p.confirmed_on))
            new.append((p, person_id))
            if p.probable_person:  # said only when it leads to a new case, not on a re-import
                p.doubts.append((self.titles["full_name"], self.probable_message % {"pk": p.probable_person}))
            if p.doubts:
                outcome.doubtful += 1
                outcome.issues.extend(self.issue(p.row, Severity.DOUBTFUL, c, m) for c, m in p.doubts)
        codes = case_codes_allocate(len(new)) if new else []
        now = timezone.now()
        rows = []
        # Lists carry no vaccination status: the release date assumes the rule's default until someone records it.
        due = {
            day: release_plan(confirmed_on=day, fully_vaccinated=None).due_on
            for day in {p.confirmed_on for p, _person in new}
        }
        for (p, person_id), code in zip(new, codes, strict=True):
            age = age_at(birth_year=p.birth_year, birth_date=p.birth_date, on=p.confirmed_on)
            rows.append({
                "person_id": person_id, "code": code, "ward_id": p.ward.pk, "confirmed_on": p.confirmed_on,
                "sampled_on": p.sampled_on, "test_kind": p.test_kind, "source": p.source, "status": Status.ACTIVE,
                "age": age, "high_risk": is_high_risk(age=age, pregnant=p.pregnant, has_condition=person_id in with_condition),
                "release_due_on": due[p.confirmed_on],
                "created_at": now, "created_by_id": self.job.created_by_id, "import_job_id": self.job.pk,
            })  # fmt: skip
        bulk_insert(Case, rows, fields=list(rows[0]) if rows else [])
        tallies_touch(pairs={(r["ward_id"], d) for r in rows for d in (report_day(now), r["confirmed_on"])})
        outcome.created += len(rows)

    def issue(self, row: Row, severity: Severity, column: str, message: str) -> ImportIssue:
        values = ["" if c is None else str(c) for c in row.cells]
        return ImportIssue(
            job=self.job, row_number=row.number, severity=severity, field=column, message=message, values=values
        )


def _release_due(confirmed_on: date) -> date | None:
    try:
        return release_plan(confirmed_on=confirmed_on, fully_vaccinated=None).due_on
    except NoRuleInForce:
        return None
