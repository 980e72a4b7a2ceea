"""Reading a spreadsheet (xlsx, xls, ods via calamine; csv) into a header and rows of cell values."""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

Cell = str | int | float | bool | object | None
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; str(error) is the Vietnamese message."""


@dataclass
class Table:
    header: list[str]
    header_row: int  # 1-based row number of the header, as the spreadsheet shows it
    rows: Iterator[tuple[int, list[Cell]]]  # (1-based row number, cells)
    total: int  # number of rows after the header (empty ones included)


def _is_empty(cells: list[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_table(path: Path, *, looks_like_header: Callable[[list[str]], bool]) -> Table:
    """Open `path` and find the header row: the first of the first 20 rows that `looks_like_header`."""
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise ImportFileError(_("Tệp rỗng."))
    if suffix in _EXCEL_SUFFIXES:
        rows = _excel_rows(path)
    elif suffix in {".csv", ".txt"}:
        rows = _csv_rows(path)
    else:
        raise ImportFileError(
            _("Tệp “%(name)s” không phải bảng tính (.xlsx, .xls, .ods hoặc .csv).") % {"name": path.name}
        )
    for index, cells in enumerate(rows[:20]):
        header = ["" if c is None else str(c).strip() for c in cells]
        if looks_like_header(header):
            body = rows[index + 1 :]
            numbered = ((index + 2 + i, cells) for i, cells in enumerate(body) if not _is_empty(cells))
            return Table(header=header, header_row=index + 1, rows=numbered, total=len(body))
    if not rows or all(_is_empty(r) for r in rows):
        raise ImportFileError(_("Tệp không có dữ liệu."))
    raise ImportFileError(_("Không tìm thấy dòng tiêu đề có cột “Họ và tên” trong 20 dòng đầu."))


def _excel_rows(path: Path) -> list[list[Cell]]:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError, IndexError) as error:
        raise ImportFileError(_("Không đọc được tệp bảng tính: tệp hỏng hoặc không đúng định dạng.")) from error


def _csv_rows(path: Path) -> list[list[Cell]]:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise ImportFileError(_("Tệp “%(name)s” không phải tệp CSV dạng chữ.") % {"name": path.name})
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("Không nhận ra bảng mã của tệp CSV (hãy lưu dạng UTF-8)."))
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(r) for r in csv.reader(io.StringIO(text), dialect)]
