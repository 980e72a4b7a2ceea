"""Forms for ward populations: one ward's figure edited inline, and a spreadsheet of figures uploaded."""

import csv
import io
import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from python_calamine import CalamineError, CalamineWorkbook

from phongdich.vntext import fold

_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
_HEADER_SEPARATORS = re.compile(r"[\s_/]+")
# Header texts after _header_key(): "Mã phường/xã", "ward_code", "Mã"; "Dân số", "population".
_CODE_HEADERS = {"ma phuong xa", "ward code", "ma"}
_POPULATION_HEADERS = {"dan so", "population"}
_HEADER_SEARCH_ROWS = 10

# (row number as the spreadsheet shows it, ward code, population cell), as areas.services.population_import takes them.
PopulationRow = tuple[int, str, object]


def _header_key(text: object) -> str:
    return _HEADER_SEPARATORS.sub(" ", fold(str(text or ""))).strip()


class PopulationForm(forms.Form):
    population = forms.IntegerField(label=gettext_lazy("Dân số"), min_value=0, max_value=10_000_000)


class PopulationImportForm(forms.Form):
    """Reads the uploaded file into rows; `rows` go to the service, `row_errors` are cells it must not see."""

    file = forms.FileField(
        label=gettext_lazy("Tệp dân số (.xlsx hoặc .csv)"),
        help_text=gettext_lazy(
            "Cột “Mã phường/xã” và “Dân số”; ô dân số trống được bỏ qua, dòng lỗi được báo lại, các dòng đúng vẫn được lưu."
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.rows: list[PopulationRow] = []
        self.row_errors: list[str] = []

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in _EXCEL_SUFFIXES and suffix != ".csv":
            raise forms.ValidationError(_("Tệp “%(name)s” không phải .xlsx hoặc .csv.") % {"name": upload.name})
        if upload.size > settings.PHONGDICH_IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn."))
        table = _read_excel(upload) if suffix in _EXCEL_SUFFIXES else _read_csv(upload)
        self._parse(table)
        return upload

    def _parse(self, table: list[list[object]]) -> None:
        header = _find_header(table)
        if header is None:
            raise forms.ValidationError(_("Không tìm thấy dòng tiêu đề có cột “Mã phường/xã” và “Dân số”."))
        index, code_col, population_col = header
        for offset, cells in enumerate(table[index + 1 :]):
            row_number = index + 2 + offset
            code = _cell(cells, code_col)
            population = _cell(cells, population_col)
            if _blank(population):
                continue  # no figure (yet): nothing to set, as in a downloaded table with gaps
            if isinstance(population, float):
                # Spreadsheets give every number as a float; only whole ones are populations.
                if not population.is_integer():
                    self.row_errors.append(
                        _("Dòng %(row)d: dân số “%(value)s” không phải số nguyên không âm.")
                        % {"row": row_number, "value": population}
                    )
                    continue
                population = int(population)
            if isinstance(code, float) and code.is_integer():
                code = int(code)
            self.rows.append((row_number, "" if code is None else str(code).strip(), population))
        if not self.rows and not self.row_errors:
            raise forms.ValidationError(_("Tệp không có dòng dữ liệu nào."))


def _find_header(table: list[list[object]]) -> tuple[int, int, int] | None:
    """(row index, code column, population column) of the first header row among the first rows."""
    for index, cells in enumerate(table[:_HEADER_SEARCH_ROWS]):
        keys = [_header_key(c) for c in cells]
        code_col = next((i for i, k in enumerate(keys) if k in _CODE_HEADERS), None)
        population_col = next((i for i, k in enumerate(keys) if k in _POPULATION_HEADERS), None)
        if code_col is not None and population_col is not None:
            return index, code_col, population_col
    return None


def _cell(cells: list[object], column: int) -> object:
    return cells[column] if column < len(cells) else None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_excel(upload: object) -> list[list[object]]:
    try:
        return CalamineWorkbook.from_filelike(upload).get_sheet_by_index(0).to_python()
    except (CalamineError, ValueError, OSError, IndexError) as error:
        raise forms.ValidationError(_("Không đọc được tệp bảng tính: tệp hỏng hoặc không đúng định dạng.")) from error


def _read_csv(upload: object) -> list[list[object]]:
    try:
        text = upload.read().decode("utf-8-sig")  # type: ignore[attr-defined]
    except UnicodeDecodeError as error:
        raise forms.ValidationError(_("Tệp CSV phải được lưu dạng UTF-8.")) from error
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
