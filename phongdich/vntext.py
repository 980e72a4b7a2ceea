"""Vietnamese text folding: the one place that decides how names compare and search."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def _fold_table() -> dict[int, str]:
    """Every precomposed Latin letter (Vietnamese ones included) → its lower-case base letter."""
    table = {ord("đ"): "d", ord("Đ"): "d"}
    for code in range(0xC0, 0x1EFF + 1):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", char) if unicodedata.category(c) != "Mn")
        if base != char and base.isascii() and base.isalpha():
            table[code] = base.lower()
    return table


_TABLE = _fold_table()


def nfc(text: str) -> str:
    """Unicode NFC with runs of white space collapsed: how names are stored."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Lower case, no diacritics, đ→d, single spaces: "Nguyễn  Văn A" → "nguyen van a"."""
    folded = text.translate(_TABLE).lower()
    if not folded.isascii():  # combining marks (NFD input) or letters outside the table
        decomposed = unicodedata.normalize("NFD", folded)
        folded = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", folded).strip()
