from datetime import date

import pytest

from phongdich.people.identity import (
    InvalidValue,
    national_id_conflicts,
    parse_birth,
    parse_date,
    parse_national_id,
    parse_phone,
    parse_sex,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "0912345678"),
        ("+84 912.345.678", "0912345678"),
        ("84912345678", "0912345678"),
        ("912345678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("01662345678", "0362345678"),
        ("024 3825 1234", "02438251234"),
        ("912345678.0", "0912345678"),
    ],
)
def test_parse_phone_normalises(raw: str, expected: str) -> None:
    assert parse_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "12345", "0112345678", "abc", "09123456789"])
def test_parse_phone_rejects(raw: str) -> None:
    with pytest.raises(InvalidValue):
        parse_phone(raw)


def test_parse_national_id() -> None:
    assert parse_national_id("001080012345") == "001080012345"
    assert parse_national_id("01080012345") == "001080012345"  # Excel dropped the zero
    assert parse_national_id("012345678") == "012345678"
    for bad in ("0010800123", "999080012345", "00108001234x"):
        with pytest.raises(InvalidValue):
            parse_national_id(bad)


def test_national_id_conflicts() -> None:
    assert national_id_conflicts("001080012345", birth_year=1980, sex="M") is None
    assert national_id_conflicts("001180012345", birth_year=1980, sex="F") is None
    assert national_id_conflicts("001280012345", birth_year=1980, sex="M") is not None
    assert national_id_conflicts("001080012345", birth_year=1980, sex="F") is not None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("20/02/2022", date(2022, 2, 20)),
        ("2/3/22", date(2022, 3, 2)),
        ("2022-02-20", date(2022, 2, 20)),
        (44612, date(2022, 2, 20)),
        (44612.0, date(2022, 2, 20)),
        ("44612", date(2022, 2, 20)),
        (date(2022, 2, 20), date(2022, 2, 20)),
    ],
)
def test_parse_date_formats(raw: object, expected: date) -> None:
    assert parse_date(raw) == expected


def test_parse_date_rejects_nonsense() -> None:
    with pytest.raises(InvalidValue, match="dd/mm/yyyy"):
        parse_date("ngày hôm qua")


def test_parse_birth_year_only_and_full_date() -> None:
    assert parse_birth(1985) == (None, 1985)
    assert parse_birth("1985") == (None, 1985)
    assert parse_birth("15/06/1985") == (date(1985, 6, 15), 1985)
    with pytest.raises(InvalidValue):
        parse_birth(1850)


def test_parse_sex() -> None:
    assert parse_sex("Nam") == "M"
    assert parse_sex("nữ") == "F"
    assert parse_sex("") == ""
    with pytest.raises(InvalidValue):
        parse_sex("khác lạ")
