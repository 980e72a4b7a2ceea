"""Reading exported Zalo/Facebook group messages into requests to confirm: pasted text, .txt, .csv or .xlsx.

Shapes understood, one message per line (following lines without a header continue the message):
  "[20/01/2022 09:15] Nguyễn Văn A: nội dung…"      (Zalo, also "[09:15 20/01/2022]")
  "Nguyễn Văn A, 09:15 20/01/2022: nội dung…"       (Facebook, also "…, 20/01/2022 09:15: …")
  a sheet with columns time / sender / phone / message (Vietnamese or English headers), address optional.
Each message gets a phone and a ward found in its text, a guessed category, and an `external_ref` (hash of
channel + sender + time + text) so that importing the same export again adds nothing.
"""

import csv
import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from phongdich.hotline.routing import ward_from_address, ward_in_text
from phongdich.people.identity import InvalidValue, parse_phone
from phongdich.vntext import fold, nfc

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_MESSAGES = 2000
CLOCK_SKEW = timedelta(minutes=5)
KEYWORDS_FILE = Path(__file__).resolve().parent / "data" / "keywords.json"

_DATE = r"(?P<date>\d{1,2}/\d{1,2}/\d{4})"
_TIME = r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?)"
_STAMPS = (rf"{_DATE}[ ,]+{_TIME}", rf"{_TIME}[ ,]+{_DATE}")
_HEADERS = [
    *(re.compile(rf"^\[\s*{stamp}\s*\]\s*(?P<sender>[^:]{{1,100}}?)\s*:\s*(?P<text>.*)$") for stamp in _STAMPS),  # Zalo
    *(
        re.compile(rf"^(?P<sender>[^,\[\]:]{{1,100}}?)\s*,\s*{stamp}\s*:\s*(?P<text>.*)$") for stamp in _STAMPS
    ),  # Facebook
]
# Something that starts like a header but did not parse: reported instead of glued to the previous message.
_LOOKS_LIKE_HEADER = re.compile(r"^\[\s*\d{1,2}[/:]")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:\+?84|0)[\s.\-]?\d(?:[\s.\-]?\d){7,9}(?!\d)")


@dataclass
class ParsedMessage:
    line: int
    sent_at: datetime
    sender: str
    text: str
    phone: str = ""
    address: str = ""
    ward_id: int | None = None
    ward_name: str = ""
    category_code: str = "other"
    external_ref: str = ""


@dataclass
class ParseResult:
    messages: list[ParsedMessage] = field(default_factory=list)
    issues: list[tuple[int, str]] = field(default_factory=list)  # (line or row number, Vietnamese reason)


class ParseError(ValueError):
    """The whole input cannot be read; str(error) is the Vietnamese message."""


# --- categories by keyword ------------------------------------------------------------------------


def _pattern(words: list[str]) -> re.Pattern[str]:
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in ordered) + r")(?!\w)")


@lru_cache(maxsize=1)
def _keyword_patterns() -> dict[bool, list[tuple[str, re.Pattern[str]]]]:
    """Per category, one pattern with diacritics and one folded (for text typed without them)."""
    data = json.loads(KEYWORDS_FILE.read_text(encoding="utf-8"))
    marked = [(code, _pattern([nfc(w).lower() for w in data["keywords"][code]])) for code in data["order"]]
    folded = [(code, _pattern([fold(w) for w in data["keywords"][code]])) for code in data["order"]]
    return {True: marked, False: folded}


def guess_category(text: str) -> str:
    """The first category (in the keyword file's order) one of whose words the text contains; "other" otherwise.

    Text written with diacritics is matched with them ("thuộc" is not "thuốc"); text typed without any is
    matched folded ("thuoc" is taken for "thuốc")."""
    has_marks = not text.isascii()
    subject = nfc(text).lower() if has_marks else fold(text)
    for code, pattern in _keyword_patterns()[has_marks]:
        if pattern.search(subject):
            return code
    return "other"


# --- one message's details -------------------------------------------------------------------------


def phone_in_text(text: str) -> str:
    for hit in _PHONE_IN_TEXT.finditer(text):
        try:
            return parse_phone(hit.group(0))
        except InvalidValue:
            continue
    return ""


def external_ref(*, channel: str, sender: str, sent_at: datetime, text: str) -> str:
    key = "|".join((channel, fold(sender), sent_at.isoformat(), nfc(text)))
    return hashlib.sha256(key.encode()).hexdigest()


def _parse_moment(date_text: str, time_text: str) -> datetime:
    fmt = "%d/%m/%Y %H:%M:%S" if time_text.count(":") == 2 else "%d/%m/%Y %H:%M"
    return timezone.make_aware(datetime.strptime(f"{date_text} {time_text}", fmt))


def _finish(message: ParsedMessage, *, channel: str) -> None:
    message.text = "\n".join(nfc(line) for line in message.text.splitlines() if line.strip())
    message.sender = nfc(message.sender)
    message.phone = message.phone or phone_in_text(message.text)
    ward = ward_from_address(message.address).ward if message.address else None
    ward = ward or ward_in_text(message.text)
    if ward is not None:
        message.ward_id, message.ward_name = ward.pk, ward.name
    message.category_code = guess_category(message.text)
    message.external_ref = external_ref(
        channel=channel, sender=message.sender, sent_at=message.sent_at, text=message.text
    )


def _check(message: ParsedMessage, now: datetime) -> str:
    if not message.text:
        return _("Tin nhắn không có nội dung.")
    if message.sent_at > now + CLOCK_SKEW:
        return _("Thời điểm gửi %(at)s ở tương lai.") % {
            "at": timezone.localtime(message.sent_at).strftime("%d/%m/%Y %H:%M")
        }
    return ""


# --- text exports ------------------------------------------------------------------------------------


def parse_text(raw: str, *, channel: str, now: datetime | None = None) -> ParseResult:
    """Messages of a pasted or .txt export; unreadable lines are reported with their line number."""
    now = now or timezone.now()
    result = ParseResult()
    current: ParsedMessage | None = None
    skipping = False  # continuation lines of a message whose header was reported
    for number, raw_line in enumerate(raw.splitlines(), start=1):
        line = raw_line.strip().lstrip("\ufeff")
        if not line:
            continue
        hit = next((m for m in (p.match(line) for p in _HEADERS) if m), None)
        if hit is None and _LOOKS_LIKE_HEADER.match(line):
            result.issues.append((number, _("Không đọc được ngày giờ ở đầu dòng (cần dạng [20/01/2022 09:15]).")))
            current, skipping = None, True
            continue
        if hit is None:
            if current is not None:
                current.text += "\n" + line
            elif not skipping:
                result.issues.append(
                    (number, _("Không nhận ra tin nhắn: cần dạng “[20/01/2022 09:15] Tên: nội dung” "
                               "hoặc “Tên, 09:15 20/01/2022: nội dung”."))
                )  # fmt: skip
            continue
        try:
            sent_at = _parse_moment(hit.group("date"), hit.group("time"))
        except ValueError:
            result.issues.append(
                (
                    number,
                    _("Ngày giờ “%(date)s %(time)s” không hợp lệ.")
                    % {"date": hit.group("date"), "time": hit.group("time")},
                )
            )
            current, skipping = None, True
            continue
        current, skipping = (
            ParsedMessage(line=number, sent_at=sent_at, sender=hit.group("sender"), text=hit.group("text")),
            False,
        )
        result.messages.append(current)
    return _finish_all(result, channel=channel, now=now)


def _finish_all(result: ParseResult, *, channel: str, now: datetime) -> ParseResult:
    kept = []
    for message in result.messages:
        _finish(message, channel=channel)
        problem = _check(message, now)
        if problem:
            result.issues.append((message.line, problem))
        else:
            kept.append(message)
    if len(kept) > MAX_MESSAGES:
        raise ParseError(_("Tệp có hơn %(n)s tin nhắn; hãy chia nhỏ.") % {"n": MAX_MESSAGES})
    result.messages = kept
    result.issues.sort()
    return result


# --- sheets (.csv, .xlsx) ----------------------------------------------------------------------------

_COLUMNS = {
    "time": ("thoi gian", "thoi diem", "ngay gio", "ngay", "gio", "time", "date", "timestamp", "sent at"),
    "sender": ("nguoi gui", "ten nguoi gui", "ho ten", "ho va ten", "ten", "tai khoan", "sender", "name", "from"),
    "phone": ("so dien thoai", "dien thoai", "sdt", "so dt", "phone", "phone number"),
    "message": ("noi dung", "tin nhan", "noi dung tin nhan", "message", "text", "content"),
    "address": ("dia chi", "address"),
}
_SHEET_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%H:%M %d/%m/%Y", "%H:%M:%S %d/%m/%Y", "%Y-%m-%d %H:%M:%S",
                  "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")  # fmt: skip


def _header_map(cells: list[object]) -> dict[str, int] | None:
    names = [fold(str(c or "")).strip(" :*") for c in cells]
    found: dict[str, int] = {}
    for key, aliases in _COLUMNS.items():
        for index, name in enumerate(names):
            if name in aliases and key not in found:
                found[key] = index
    return found if {"time", "message"} <= found.keys() else None


def _sheet_moment(value: object) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    text = " ".join(str(value or "").split())
    for fmt in _SHEET_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise ValueError(text)


def _cell(cells: list[object], index: int | None) -> str:
    if index is None or index >= len(cells) or cells[index] is None:
        return ""
    value = cells[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number read back as a float
    return str(value).strip()


def parse_rows(rows: list[list[object]], *, channel: str, now: datetime | None = None) -> ParseResult:
    """Messages of a sheet whose header (in the first 10 rows) names at least a time and a message column."""
    now = now or timezone.now()
    found = next(((i, cols) for i, cols in enumerate(_header_map(c) for c in rows[:10]) if cols), None)
    if found is None:
        raise ParseError(_("Không tìm thấy dòng tiêu đề có cột “Thời gian” và “Nội dung” trong 10 dòng đầu."))
    header_index, columns = found
    result = ParseResult()
    for offset, cells in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if all(c is None or not str(c).strip() for c in cells):
            continue
        raw_time = cells[columns["time"]] if columns["time"] < len(cells) else None
        try:
            sent_at = _sheet_moment(raw_time)
        except ValueError:
            result.issues.append(
                (
                    offset,
                    _("Thời gian “%(value)s” không hợp lệ (cần dạng 20/01/2022 09:15).") % {"value": raw_time or ""},
                )
            )
            continue
        message = ParsedMessage(
            line=offset, sent_at=sent_at, sender=_cell(cells, columns.get("sender")),
            text=_cell(cells, columns["message"]), address=_cell(cells, columns.get("address")),
        )  # fmt: skip
        raw_phone = _cell(cells, columns.get("phone"))
        if raw_phone:
            try:
                message.phone = parse_phone(raw_phone)
            except InvalidValue as error:
                result.issues.append((offset, str(error)))
                continue
        result.messages.append(message)
    return _finish_all(result, channel=channel, now=now)


def _decode(raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise ParseError(_("Tệp không phải dạng chữ (.txt, .csv) hay bảng tính (.xlsx)."))
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ParseError(_("Không đọc được bảng mã của tệp; hãy lưu lại dạng UTF-8."))


def parse_upload(*, name: str, raw: bytes, channel: str, now: datetime | None = None) -> ParseResult:
    """An uploaded export, by its extension: .txt (text shapes), .csv or .xlsx/.xls/.ods (columns)."""
    if not raw:
        raise ParseError(_("Tệp rỗng."))
    if len(raw) > MAX_FILE_BYTES:
        raise ParseError(_("Tệp lớn quá 5 MB; hãy chia nhỏ."))
    suffix = Path(name).suffix.lower()
    if suffix == ".txt":
        return parse_text(_decode(raw), channel=channel, now=now)
    if suffix == ".csv":
        text = _decode(raw)
        try:
            dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return parse_rows([list(r) for r in csv.reader(io.StringIO(text), dialect)], channel=channel, now=now)
    if suffix in {".xlsx", ".xls", ".xlsm", ".ods"}:
        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(raw)).get_sheet_by_index(0)
            rows = [list(r) for r in sheet.to_python()]
        except (CalamineError, ValueError, OSError, IndexError) as error:
            raise ParseError(_("Không đọc được tệp bảng tính: tệp hỏng hoặc không đúng định dạng.")) from error
        return parse_rows(rows, channel=channel, now=now)
    raise ParseError(_("Tệp “%(name)s” phải là .txt, .csv hoặc .xlsx.") % {"name": name})


# --- carrying the preview to the confirmation ---------------------------------------------------------


def messages_to_json(messages: list[ParsedMessage]) -> list[dict]:
    return [{**asdict(m), "sent_at": m.sent_at.isoformat()} for m in messages]


def messages_from_json(rows: list[dict]) -> list[ParsedMessage]:
    return [ParsedMessage(**{**row, "sent_at": datetime.fromisoformat(row["sent_at"])}) for row in rows]
