"""Reading a spreadsheet (xlsx, xls, ods via calamine; csv) into a header and rows of cell values."""

import csv
import io
import itertools
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
    rows: Iterator[tuple[int, list[Cell]]]  # (1-based row number, cells) of the non-empty rows, read lazily
    total: int  # rows after the header, empty ones included: the denominator of the progress bar


def _is_empty(cells: list[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_table(path: Path, *, looks_like_header: Callable[[list[str]], bool]) -> Table:
    """Open `path` and find the header row: the first of the first 20 rows that `looks_like_header`.
    Rows after it are read one by one as the import asks for them, so memory stays flat."""
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise ImportFileError(_("Tệp rỗng."))
    if suffix in _EXCEL_SUFFIXES:
        first_row, height, rows = _excel_rows(path)
    elif suffix in {".csv", ".txt"}:
        first_row, height, rows = _csv_rows(path)
    else:
        raise ImportFileError(
            _("Tệp “%(name)s” không phải bảng tính (.xlsx, .xls, .ods hoặc .csv).") % {"name": path.name}
        )
    head = list(itertools.islice(rows, 20))
    for index, cells in enumerate(head):
        header = ["" if c is None else str(c).strip() for c in cells]
        if looks_like_header(header):
            header_row = first_row + index
            body = itertools.chain(head[index + 1 :], rows)
            numbered = ((header_row + 1 + i, cells) for i, cells in enumerate(body) if not _is_empty(cells))
            return Table(header=header, header_row=header_row, rows=numbered, total=height - index - 1)
    if not head or all(_is_empty(r) for r in head):
        raise ImportFileError(_("Tệp không có dữ liệu."))
    raise ImportFileError(_("Không tìm thấy dòng tiêu đề có cột “Họ và tên” trong 20 dòng đầu."))


def _excel_rows(path: Path) -> tuple[int, int, Iterator[list[Cell]]]:
    """(1-based number of the sheet's first row, row count, rows)."""
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        start = sheet.start or (0, 0)
        return start[0] + 1, sheet.height, sheet.iter_rows()
    except (CalamineError, ValueError, OSError, IndexError) as error:
        raise ImportFileError(_("Không đọc được tệp bảng tính: tệp hỏng hoặc không đúng định dạng.")) from error


def _csv_rows(path: Path) -> tuple[int, int, Iterator[list[Cell]]]:
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
    del raw
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return 1, text.count("\n") + 1, (list(r) for r in csv.reader(io.StringIO(text), dialect))
