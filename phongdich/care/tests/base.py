"""The care tests' base: the city's test users and wards, plus facilities and stock factories."""

from datetime import date

from phongdich.areas.models import Area
from phongdich.care.models import Facility, Package, Stock
from phongdich.care.services import FacilityData, facility_create, stock_receive
from phongdich.cases.models import Case
from phongdich.testing import PhongdichTestCase


class CareTestCase(PhongdichTestCase):
    def create_facility(
        self, code: str, *, tier: int = 2, district: Area | None = None, beds: int = 10, occupied: int = 0,
        lat: float | None = None, lon: float | None = None, name: str = "",
    ) -> Facility:  # fmt: skip
        data = FacilityData(
            code=code, name=name or f"Cơ sở {code}", tier=tier, district=district or self.district_a, beds=beds,
            lat=lat, lon=lon,
        )  # fmt: skip
        return facility_create(actor=self.city_admin, data=data, occupied=occupied)

    def stock(self, area: Area, package: str = Package.C, quantity: int = 5) -> Stock:
        return stock_receive(actor=self.city_admin, area=area, package=package, quantity=quantity)

    def balance(self, area: Area, package: str = Package.C) -> int:
        return Stock.objects.get(area=area, package=package).balance

    def adult_case(self, *, confirmed_on: date, **person: object) -> Case:
        """A 60-year-old (a risk group) with a known birth date, managed by ward A1."""
        values = {"birth_date": date(1961, 6, 1), "birth_year": 1961, "sex": "F", **person}
        return self.create_case(person=self.create_person(**values), confirmed_on=confirmed_on)
