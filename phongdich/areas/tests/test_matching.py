import pytest

from phongdich.areas.matching import WardMatcher, base_name
from phongdich.testing import PhongdichTestCase


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Phường Phúc Xá", "phuc xa"),
        ("P. Phúc Xá", "phuc xa"),
        ("P.Phuc Xa", "phuc xa"),
        ("PHƯỜNG   PHÚC XÁ", "phuc xa"),
        ("Quận Ba Đình", "ba dinh"),
        ("Phường 05", "5"),
    ],
)
def test_base_name(text: str, expected: str) -> None:
    assert base_name(text) == expected


class WardMatcherTests(PhongdichTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.matcher = WardMatcher.for_province(cls.province)

    def assert_found(self, ward_text: str, district_text: str = "", address: str = "") -> None:
        match = self.matcher.match(ward_text=ward_text, district_text=district_text, address=address)
        assert match.ward == self.ward_a1, match.problem
        assert not match.doubtful
        assert match.problem == ""

    def test_abbreviated(self) -> None:
        self.assert_found("P. Phúc Xá")

    def test_without_diacritics_lower_case(self) -> None:
        self.assert_found("phuc xa")

    def test_upper_case_and_extra_spaces(self) -> None:
        self.assert_found("PHƯỜNG   PHÚC XÁ")

    def test_with_right_district(self) -> None:
        self.assert_found("Phúc Xá", "Q. Ba Đình")

    def test_wrong_district_but_unique_name_is_doubtful(self) -> None:
        match = self.matcher.match(ward_text="Phúc Xá", district_text="Hoàn Kiếm")
        assert match.ward == self.ward_a1
        assert match.doubtful
        assert "Hoàn Kiếm" in match.problem
        assert "Quận Ba Đình" in match.problem

    def test_ambiguous_name_without_district_is_rejected_with_candidates(self) -> None:
        # Minh Khai is a ward of Hai Bà Trưng and of Bắc Từ Liêm, and a commune of Hoài Đức.
        match = self.matcher.match(ward_text="Minh Khai")
        assert match.ward is None
        assert not match.doubtful
        for district in ("Quận Hai Bà Trưng", "Quận Bắc Từ Liêm", "Huyện Hoài Đức"):
            assert district in match.problem

    def test_ambiguous_name_with_district_is_found(self) -> None:
        match = self.matcher.match(ward_text="Phường Minh Khai", district_text="Bắc Từ Liêm")
        assert match.ward is not None
        assert match.ward.parent.name == "Quận Bắc Từ Liêm"
        assert not match.doubtful

    def test_ward_only_in_address(self) -> None:
        self.assert_found("", address="12 Hàng Bún, Phúc Xá, Ba Đình")

    def test_address_without_known_ward(self) -> None:
        match = self.matcher.match(ward_text="", address="12 Hàng Bún, Ba Đình")
        assert match.ward is None
        assert match.problem

    def test_unknown_ward(self) -> None:
        match = self.matcher.match(ward_text="Phường Không Có Thật")
        assert match.ward is None
        assert "Không Có Thật" in match.problem
