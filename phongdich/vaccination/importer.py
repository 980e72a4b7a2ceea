"""Importing dose lists (national platform exports, vaccination-site lists) through the shared import engine.

Persons are matched as the F0 importer matches them (cases/importer.py): the same CCCD is the same person,
otherwise the same name, birth year and phone. A CCCD whose registry name or birth date disagrees with the
row keeps the dose for the registry's person and reports both values. A row is rejected only when its dose
cannot be true (no date, a date in the future or before birth, an unknown vaccine, no ward); a dose that
breaks a schedule rule is kept and flagged, because losing a real dose is worse than a dose to check.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongdich.areas.matching import WardMatch, WardMatcher
from phongdich.areas.models import Area
from phongdich.areas.scoping import ward_ids
from phongdich.areas.selectors import province
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
from phongdich.rules.vaccination import DoseFact, dose_check, dose_kind_infer, product_code, products_in_force
from phongdich.vaccination.models import Dose, DoseKind
from phongdich.vaccination.services import person_vaccination_refresh
from phongdich.vntext import fold, nfc

SYNONYMS: dict[str, tuple[str, ...]] = {
    **PERSON_SYNONYMS,
    "full_name": (*PERSON_SYNONYMS["full_name"], "ho va ten nguoi tiem", "ho ten nguoi tiem", "ten nguoi tiem",
                  "ho va ten nguoi duoc tiem", "ho ten doi tuong"),
    "given_on": ("ngay tiem", "ngay tiem chung", "ngay tiem vac xin", "ngay tiem vaccine", "thoi gian tiem",
                 "ngay thang tiem"),
    "product": ("ten vac xin", "vac xin", "loai vac xin", "ten vaccine", "vaccine", "loai vaccine", "ten vacxin",
                "vacxin"),
    "lot": ("so lo", "lo vac xin", "so lo vac xin", "so lo vaccine", "lo"),
    "dose_number": ("mui thu", "mui tiem", "mui", "mui so", "loai mui", "lieu", "lieu thu", "mui tiem thu"),
    "site": ("diem tiem", "dia diem tiem", "noi tiem", "diem tiem chung"),
    "given_by": ("don vi tiem", "don vi tiem chung", "co so tiem chung", "co so tiem", "don vi"),
}  # fmt: skip

COLUMN_TITLES = {
    "full_name": gettext_lazy("Họ và tên"),
    "birth": gettext_lazy("Ngày sinh"),
    "sex": gettext_lazy("Giới tính"),
    "national_id": gettext_lazy("CCCD/CMND"),
    "phone": gettext_lazy("Số điện thoại"),
    "ward": gettext_lazy("Phường/Xã"),
    "given_on": gettext_lazy("Ngày tiêm"),
    "product": gettext_lazy("Tên vắc xin"),
    "dose_number": gettext_lazy("Mũi thứ"),
}
# The fields dose_check names → the column they come from.
_CHECK_FIELDS = {"given_on": "given_on", "product": "product", "kind": "dose_number", "birth": "birth",
                 "birth_date": "birth", "birth_year": "birth"}  # fmt: skip

# "Mũi thứ" as written: a kind, "booster" (first or second by history), or "" (inferred from history and rules).
_BOOSTER = "booster"
_KIND_WORDS = {
    "1": DoseKind.PRIMARY_1, "2": DoseKind.PRIMARY_2, "bo sung": DoseKind.ADDITIONAL, "mui bo sung": DoseKind.ADDITIONAL,
    "lieu bo sung": DoseKind.ADDITIONAL, "nhac lai": _BOOSTER, "mui nhac lai": _BOOSTER, "lieu nhac lai": _BOOSTER,
    "nhac": _BOOSTER, "nhac lai lan 1": DoseKind.BOOSTER_1, "nhac lai 1": DoseKind.BOOSTER_1,
    "nhac lai lan 2": DoseKind.BOOSTER_2, "nhac lai 2": DoseKind.BOOSTER_2, "mui nhac lai lan 1": DoseKind.BOOSTER_1,
    "mui nhac lai lan 2": DoseKind.BOOSTER_2,
}  # fmt: skip
_NUMBER_PREFIXES = ("mui thu ", "mui so ", "mui ", "lieu thu ", "lieu ", "thu ")
_BOOSTERS = {DoseKind.BOOSTER_1, DoseKind.BOOSTER_2}
_MAX = {"lot": Dose._meta.get_field("lot").max_length, "site": Dose._meta.get_field("site").max_length,
        "given_by": Dose._meta.get_field("given_by").max_length}  # fmt: skip


def dose_number_hint(text: str) -> str | None:
    """ "Mũi 2" → primary_2; "Nhắc lại" → booster (first or second by history); "3", "4" or "" → "" (inferred);
    None when the text cannot be understood."""
    folded = fold(text).strip(" .")
    if folded.endswith(".0"):  # a number cell read back as a float
        folded = folded[:-2]
    if not folded:
        return ""
    if folded in _KIND_WORDS:
        return _KIND_WORDS[folded]
    for prefix in _NUMBER_PREFIXES:
        if folded.startswith(prefix):
            folded = folded[len(prefix) :].strip()
            break
    if folded in _KIND_WORDS:
        return _KIND_WORDS[folded]
    if folded.isdigit() and int(folded) >= 3:
        return ""  # dose 3 is a third primary, an additional or a booster dose depending on history and date
    return None


def _as_date(value: Any) -> date | None:
    # SQLite hands dates back as text from raw SQL.
    return date.fromisoformat(value) if isinstance(value, str) else value


@dataclass(slots=True)
class DoseRow:
    row: Row
    full_name: str
    name_search: str
    ward: Area
    given_on: date
    product: str
    kind_hint: str
    lot: str = ""
    site: str = ""
    given_by: str = ""
    address: str = ""
    birth_date: date | None = None
    birth_year: int | None = None
    sex: str = ""
    national_id: str | None = None
    phone: str = ""
    doubts: list[tuple[str, str]] = field(default_factory=list)  # (column title, message)
    # Filled when persons are resolved: an existing person, or the position of a person to create.
    person_id: int = 0
    new_slot: int = -1
    dose_ward_id: int = 0
    check_birth: tuple[date | None, int | None] = (None, None)

    @property
    def probable_key(self) -> ProbableKey:
        return probable_key(self.name_search, self.birth_year, self.phone, self.ward.pk)


@dataclass(slots=True)
class _Registry:
    """What the person registry says about a matched person."""

    person_id: int
    name_search: str
    full_name: str
    birth_date: date | None
    birth_year: int | None
    ward_id: int | None
    national_id: str | None


@register("doses")
class DoseImporter:
    synonyms = SYNONYMS

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.matcher = WardMatcher.for_province(province())
        self.allowed_ward_ids = set(ward_ids(job.area).values_list("pk", flat=True))
        self.today = timezone.localdate()
        self.titles = {name: str(title) for name, title in COLUMN_TITLES.items()}
        self.required = {
            "full_name": self.titles["full_name"],
            "given_on": self.titles["given_on"],
            "product": self.titles["product"],
        }
        # Files repeat the same few dates, vaccines, wards and dose numbers thousands of times: parse each once.
        self._dates: dict[Any, date | str] = {}
        self._products: dict[str, str | None] = {}
        self._wards: dict[tuple[str, str], WardMatch] = {}
        self._hints: dict[str, str | None] = {}
        self._births: dict[Any, tuple[date | None, int] | str] = {}
        self._in_force: dict[date, dict[str, str]] = {}  # day → product code → label
        # Person → day → the row that named it, across this run's batches, to tell a row repeated in the file
        # from a dose recorded before the import.
        self.seen: dict[int, dict[date, int]] = defaultdict(dict)

    # --- parsing, outside the batch's transaction ----------------------------------------

    def parse_batch(self, rows: list[Row]) -> tuple[list[DoseRow], BatchOutcome]:
        outcome = BatchOutcome()
        self.today = timezone.localdate()
        parsed: list[DoseRow] = []
        for row in rows:
            result = self.parse(row)
            if isinstance(result, DoseRow):
                parsed.append(result)
            else:
                outcome.rejected += 1
                outcome.issues.append(self.issue(row, Severity.REJECTED, *result))
        return parsed, outcome

    def parse(self, row: Row) -> DoseRow | tuple[str, str]:
        """A DoseRow, or (column, Vietnamese reason) when the row must be rejected."""
        titles = self.titles
        full_name = nfc(row.text("full_name"))
        if not full_name:
            return titles["full_name"], _("Thiếu họ và tên.")
        given_on = self._date(row.get("given_on"))
        if isinstance(given_on, str):
            return titles["given_on"], given_on
        product_text = row.text("product")
        if not product_text:
            return titles["product"], _("Thiếu tên vắc xin.")
        product = self._products.get(product_text, "?")
        if product == "?":
            product = self._products[product_text] = product_code(product_text)
        if product is None:
            return titles["product"], _(
                "Không nhận ra vắc xin “%(v)s” (ví dụ: AstraZeneca, Pfizer, Moderna, Vero Cell, Sputnik V, Abdala)."
            ) % {"v": product_text}
        ward_text, district_text = row.text("ward"), row.text("district")
        address = nfc(row.text("address"))
        if ward_text:
            match = self._wards.get((ward_text, district_text))
            if match is None:
                match = self._wards[ward_text, district_text] = self.matcher.match(
                    ward_text=ward_text, district_text=district_text
                )
        else:
            match = self.matcher.match(ward_text="", district_text=district_text, address=address)
        if match.ward is None:
            return titles["ward"], match.problem
        if match.ward.pk not in self.allowed_ward_ids:
            return titles["ward"], _("%(ward)s không thuộc địa bàn %(area)s của bạn.") % {
                "ward": match.ward.name, "area": self.job.area.name}  # fmt: skip
        number_text = row.text("dose_number")
        hint = self._hints.get(number_text, "?")
        if hint == "?":
            hint = self._hints[number_text] = dose_number_hint(number_text)
        p = DoseRow(
            row=row, full_name=full_name, name_search=fold(full_name), ward=match.ward, given_on=given_on,
            product=product, kind_hint=hint or "", address=address,
            lot=row.text("lot")[: _MAX["lot"]], site=nfc(row.text("site"))[: _MAX["site"]],
            given_by=nfc(row.text("given_by"))[: _MAX["given_by"]],
        )  # fmt: skip
        if match.doubtful:
            p.doubts.append((titles["ward"], match.problem))
        if product not in self.products_on(given_on):
            p.doubts.append((titles["product"], _(
                "Vắc xin “%(v)s” chưa có trong danh mục được dùng ngày %(day)s; đã ghi, cần kiểm tra lại."
            ) % {"v": product_text, "day": f"{given_on:%d/%m/%Y}"}))  # fmt: skip
        if hint is None:
            p.doubts.append(
                (
                    titles["dose_number"],
                    _("Không hiểu mũi thứ “%(v)s”; đã suy ra từ các mũi trước.") % {"v": number_text},
                )
            )
        self.parse_identity(row, p)
        return p

    def products_on(self, day: date) -> dict[str, str]:
        """The vaccines in use on `day`: code → Vietnamese label."""
        in_force = self._in_force.get(day)
        if in_force is None:
            in_force = self._in_force[day] = dict(products_in_force(on=day))
        return in_force

    def _date(self, raw: Any) -> date | str:
        """The dose date, or the Vietnamese reason it cannot be used."""
        try:
            return self._dates[raw]
        except KeyError:
            pass
        except TypeError:  # an unhashable cell
            raw = str(raw)
        if raw in (None, ""):
            result: date | str = _("Thiếu ngày tiêm.")
        else:
            try:
                result = parse_date(raw)
            except InvalidValue as error:
                result = str(error)
            else:
                if result > self.today:
                    result = _("Ngày tiêm %(day)s ở tương lai.") % {"day": f"{result:%d/%m/%Y}"}
        self._dates[raw] = result
        return result

    def parse_identity(self, row: Row, p: DoseRow) -> None:
        """Identity fields whose bad value is dropped with a note; the row is kept."""
        titles = self.titles
        raw_birth = row.get("birth")
        if raw_birth not in (None, ""):
            birth = self._births.get(raw_birth)
            if birth is None:
                try:
                    birth = parse_birth(raw_birth)
                except InvalidValue as error:
                    birth = str(error)
                self._births[raw_birth] = birth
            if isinstance(birth, str):
                p.doubts.append((titles["birth"], _("%(error)s Đã bỏ trống trường này.") % {"error": birth}))
            else:
                p.birth_date, p.birth_year = birth
        for name, parse, attribute in (
            ("sex", parse_sex, "sex"),
            ("national_id", parse_national_id, "national_id"),
            ("phone", parse_phone, "phone"),
        ):
            text = row.text(name)
            if not text:
                continue
            try:
                setattr(p, attribute, parse(text))
            except InvalidValue as error:
                p.doubts.append((titles[name], _("%(error)s Đã bỏ trống trường này.") % {"error": error}))
        if p.national_id:
            conflict = national_id_conflicts(p.national_id, birth_year=p.birth_year, sex=p.sex)
            if conflict:
                p.doubts.append((titles["national_id"], conflict))

    # --- the batch, inside its transaction ------------------------------------------------

    def write_batch(self, prepared: tuple[list[DoseRow], BatchOutcome]) -> BatchOutcome:
        parsed, outcome = prepared
        new_people = self.resolve_persons(parsed, outcome)
        accepted = self.check_doses(parsed, outcome)
        slot_ids = self.create_persons(new_people, {p.new_slot for p in accepted if p.new_slot >= 0})
        outcome.summary["persons_created"] = len(slot_ids)
        now = timezone.now()
        rows = []
        for p in accepted:
            person_id = p.person_id or slot_ids[p.new_slot]
            p.person_id = person_id
            self.seen[person_id].setdefault(p.given_on, p.row.number)
            rows.append({
                "person_id": person_id, "given_on": p.given_on, "product": p.product, "kind": p.kind_hint,
                "lot": p.lot, "site": p.site, "given_by": p.given_by, "ward_id": p.dose_ward_id or p.ward.pk,
                "created_at": now, "created_by_id": self.job.created_by_id, "import_job_id": self.job.pk,
            })  # fmt: skip
        bulk_insert(Dose, rows, fields=list(rows[0]) if rows else [])
        outcome.created += len(rows)
        if accepted:
            person_vaccination_refresh(person_ids={p.person_id for p in accepted})
        return outcome

    def resolve_persons(self, parsed: list[DoseRow], outcome: BatchOutcome) -> list[dict[str, object]]:
        """Set each row's person: by CCCD, else by name, birth year and phone, else a person to create
        (returned, created later only if one of its doses is kept)."""
        columns = (
            "SELECT id, name_search, full_name, birth_date, birth_year, ward_id, national_id, phone FROM people_person"
        )
        national_ids = list({p.national_id for p in parsed if p.national_id})
        by_national_id = {
            r[6]: r for r in select_in(columns + " WHERE national_id {in}", national_ids)
        }  # fmt: skip
        keyed = {p.probable_key for p in parsed}
        candidates = select_in(
            columns + " WHERE merged_into_id IS NULL AND phone {in}", list({k[2] for k in keyed if k[2]})
        ) + select_in(
            columns + " WHERE merged_into_id IS NULL AND phone = '' AND name_search {in}",
            list({k[0] for k in keyed if not k[2]}),
        )
        by_key: dict[ProbableKey, tuple[Any, ...]] = {}
        for r in sorted(candidates):  # the oldest person first, so the same row always finds the same person
            key = probable_key(r[1], r[4], r[7], r[5])
            if key in keyed:
                by_key.setdefault(key, r)
        new_people: list[dict[str, object]] = []
        batch_new: dict[str | ProbableKey, int] = {}
        mismatches = 0
        for p in parsed:
            found = by_national_id.get(p.national_id) if p.national_id else None
            key = p.probable_key
            if found is None and key in by_key:
                candidate = by_key[key]
                if not (p.national_id and candidate[6]):  # two different CCCDs are two people
                    found = candidate
                    if not (p.birth_year and p.phone):
                        p.doubts.append((self.titles["full_name"], _(
                            "Không có CCCD; đã ghép với người đã có (mã người %(pk)d) theo họ tên%(rest)s."
                        ) % {"pk": found[0], "rest": _(", năm sinh") if p.birth_year else _(", số điện thoại")
                              if p.phone else _(" trong phường/xã")}))  # fmt: skip
            if found is not None:
                registry = _Registry(found[0], found[1], found[2], _as_date(found[3]), found[4], found[5], found[6])
                p.person_id = registry.person_id
                p.dose_ward_id = registry.ward_id or p.ward.pk
                p.check_birth = (
                    (registry.birth_date, registry.birth_year) if registry.birth_year else (p.birth_date, p.birth_year)
                )
                if self.mismatch(p, registry):
                    mismatches += 1
                continue
            marker: str | ProbableKey = p.national_id or key
            slot = batch_new.get(marker)
            if slot is None and not p.national_id:
                slot = batch_new.get(key)
            if slot is None:
                slot = batch_new[marker] = len(new_people)
                batch_new.setdefault(key, slot)
                new_people.append(self.person_row(p))
            p.new_slot = slot
            first = new_people[slot]
            p.check_birth = (first["birth_date"], first["birth_year"])  # type: ignore[assignment]
        outcome.summary["identity_mismatches"] = mismatches
        return new_people

    def mismatch(self, p: DoseRow, registry: _Registry) -> bool:
        """Report a row whose name or birth date disagrees with the registry's person (the dose stays with them)."""
        found = False
        who = (
            _("CCCD %(id)s") % {"id": registry.national_id}
            if p.national_id and p.national_id == registry.national_id
            else _("mã người %(pk)d") % {"pk": registry.person_id}
        )
        if p.name_search != registry.name_search:
            found = True
            p.doubts.append((self.titles["full_name"], _(
                "Lệch với sổ đăng ký (%(who)s): họ tên trong tệp “%(file)s”, trong sổ “%(registry)s”; "
                "đã ghi mũi tiêm cho người trong sổ."
            ) % {"who": who, "file": p.full_name, "registry": registry.full_name}))  # fmt: skip
        in_file = in_registry = None
        if p.birth_date and registry.birth_date:
            if p.birth_date != registry.birth_date:
                in_file, in_registry = f"{p.birth_date:%d/%m/%Y}", f"{registry.birth_date:%d/%m/%Y}"
        elif p.birth_year and registry.birth_year and p.birth_year != registry.birth_year:
            in_file, in_registry = str(p.birth_year), str(registry.birth_year)
        if in_file:
            found = True
            p.doubts.append((self.titles["birth"], _(
                "Lệch với sổ đăng ký (%(who)s): ngày sinh trong tệp %(file)s, trong sổ %(registry)s; "
                "đã ghi mũi tiêm cho người trong sổ."
            ) % {"who": who, "file": in_file, "registry": in_registry}))  # fmt: skip
        return found

    def person_row(self, p: DoseRow) -> dict[str, object]:
        now = timezone.now()
        return {
            "full_name": p.full_name, "name_search": p.name_search, "birth_date": p.birth_date,
            "birth_year": p.birth_year, "sex": p.sex, "national_id": p.national_id, "phone": p.phone,
            "address": p.address, "ward_id": p.ward.pk, "pregnant": False, "merged_into_id": None,
            "created_at": now, "updated_at": now, "created_by_id": self.job.created_by_id, "import_job_id": self.job.pk,
        }  # fmt: skip

    def create_persons(self, new_people: list[dict[str, object]], used: set[int]) -> dict[int, int]:
        slots = sorted(used)
        rows = [new_people[slot] for slot in slots]
        ids = bulk_insert(Person, rows, fields=list(rows[0]) if rows else [])
        return dict(zip(slots, ids, strict=True))

    def check_doses(self, parsed: list[DoseRow], outcome: BatchOutcome) -> list[DoseRow]:
        """Each person's rows in date order against the doses they already have: a dose on a day already
        recorded is there already; an impossible dose is rejected; a dose against the schedule is kept and flagged."""
        known = list({p.person_id for p in parsed if p.person_id})
        history: dict[int | tuple[str, int], list[DoseFact]] = defaultdict(list)
        for person_id, given_on, product, kind in select_in(
            "SELECT person_id, given_on, product, kind FROM vaccination_dose WHERE person_id {in}", known
        ):
            history[person_id].append(DoseFact(given_on=_as_date(given_on), product=product, kind=kind))  # type: ignore[arg-type]
        groups: dict[int | tuple[str, int], list[DoseRow]] = defaultdict(list)
        for p in parsed:
            groups[p.person_id or ("new", p.new_slot)].append(p)
        titles = self.titles
        accepted: list[DoseRow] = []
        for person, rows in groups.items():
            facts = history[person]
            recorded = {f.given_on: f for f in facts}
            in_file: dict[date, int] = {}  # day → the first row of the file naming this person on that day
            if isinstance(person, int):
                in_file.update(self.seen.get(person, {}))
            rows.sort(key=lambda r: (r.given_on, r.row.number))
            for p in rows:
                day = p.given_on
                if day in recorded or day in in_file:
                    outcome.matched_existing += 1
                    if day in in_file:
                        p.doubts.append((titles["given_on"], _(
                            "Trùng với dòng %(n)d (cùng người, cùng ngày tiêm %(day)s); không ghi thêm."
                        ) % {"n": in_file[day], "day": f"{day:%d/%m/%Y}"}))  # fmt: skip
                    elif recorded[day].product != p.product:
                        p.doubts.append((titles["product"], _(
                            "Đã có mũi tiêm ngày %(day)s bằng vắc xin khác (%(had)s); giữ mũi đã có, dòng này không ghi."
                        ) % {"day": f"{day:%d/%m/%Y}", "had": self.products_on(day).get(recorded[day].product,
                                                                                    recorded[day].product)}))  # fmt: skip
                    in_file.setdefault(day, p.row.number)
                    if isinstance(person, int):
                        self.seen[person].setdefault(day, p.row.number)
                    self.report_doubts(p, outcome)
                    continue
                previous = [f for f in facts if f.given_on < day]
                p.kind_hint = self.kind(p, previous)
                dose = DoseFact(given_on=day, product=p.product, kind=p.kind_hint)
                birth_date, birth_year = p.check_birth
                problems = dose_check(birth_date=birth_date, birth_year=birth_year, previous=previous, dose=dose)
                blocking = [(f, m) for f, m, block in problems if block]
                if blocking:
                    outcome.rejected += 1
                    outcome.issues.extend(
                        self.issue(p.row, Severity.REJECTED, self.check_title(f), m) for f, m in blocking
                    )
                    continue
                p.doubts.extend((self.check_title(f), m) for f, m, _block in problems)
                facts.append(dose)
                facts.sort(key=lambda f: f.given_on)
                recorded[day] = dose
                in_file[day] = p.row.number
                accepted.append(p)
                self.report_doubts(p, outcome)
        return accepted

    def kind(self, p: DoseRow, previous: list[DoseFact]) -> str:
        hint = p.kind_hint
        if hint == _BOOSTER:
            return DoseKind.BOOSTER_2 if any(f.kind in _BOOSTERS for f in previous) else DoseKind.BOOSTER_1
        if hint:
            return hint
        return dose_kind_infer(previous=previous, product=p.product, on=p.given_on)

    def check_title(self, check_field: str) -> str:
        name = _CHECK_FIELDS.get(check_field, check_field)
        return self.titles.get(name, name)

    def report_doubts(self, p: DoseRow, outcome: BatchOutcome) -> None:
        if p.doubts:
            outcome.doubtful += 1
            outcome.issues.extend(self.issue(p.row, Severity.DOUBTFUL, c, m) for c, m in p.doubts)

    def issue(self, row: Row, severity: Severity, column: str, message: str) -> ImportIssue:
        values = ["" if c is None else str(c) for c in row.cells]
        return ImportIssue(
            job=self.job, row_number=row.number, severity=severity, field=column, message=message, values=values
        )
