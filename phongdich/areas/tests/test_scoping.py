from phongdich.areas.models import Area, Level
from phongdich.areas.scoping import area_contains, areas_within, in_area, ward_ids
from phongdich.people.models import Person
from phongdich.testing import PhongdichTestCase

BA_DINH_WARDS = 14


class WardIdsTests(PhongdichTestCase):
    def test_ward_is_itself(self) -> None:
        assert set(ward_ids(self.ward_a1).values_list("pk", flat=True)) == {self.ward_a1.pk}

    def test_district_is_its_wards(self) -> None:
        ids = set(ward_ids(self.district_a).values_list("pk", flat=True))
        assert len(ids) == BA_DINH_WARDS
        assert {self.ward_a1.pk, self.ward_a2.pk} <= ids
        assert self.ward_b1.pk not in ids

    def test_province_is_every_ward_of_the_city(self) -> None:
        ids = set(ward_ids(self.province).values_list("pk", flat=True))
        assert len(ids) == 579
        assert {self.ward_a1.pk, self.ward_b1.pk} <= ids
        assert Area.objects.get(code="00721").pk not in ids  # Thị trấn Đồng Văn, Hà Giang


class InAreaTests(PhongdichTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.people = {}
        for ward in (cls.ward_a1, cls.ward_a2, cls.ward_b1):
            person = Person.objects.create(full_name=ward.name, name_search=ward.name, ward=ward)
            cls.people[ward.code] = person.pk

    def visible(self, area: Area) -> set[str]:
        return set(Person.objects.filter(in_area(area)).values_list("ward__code", flat=True))

    def test_ward(self) -> None:
        assert self.visible(self.ward_a1) == {"00001"}

    def test_district(self) -> None:
        assert self.visible(self.district_a) == {"00001", "00004"}
        assert self.visible(self.district_b) == {"00037"}

    def test_province(self) -> None:
        assert self.visible(self.province) == {"00001", "00004", "00037"}

    def test_other_field_name(self) -> None:
        from phongdich.cases.models import Case

        case = self.create_case(ward=self.ward_b1)
        assert list(Case.objects.filter(in_area(self.district_b, ward_field="ward"))) == [case]
        assert not Case.objects.filter(in_area(self.district_a)).exists()


class AreaContainsTests(PhongdichTestCase):
    def test_ward(self) -> None:
        assert area_contains(self.ward_a1, self.ward_a1)
        assert not area_contains(self.ward_a1, self.ward_a2)
        assert not area_contains(self.ward_a1, self.district_a)

    def test_district(self) -> None:
        assert area_contains(self.district_a, self.district_a)
        assert area_contains(self.district_a, self.ward_a1)
        assert not area_contains(self.district_a, self.ward_b1)
        assert not area_contains(self.district_a, self.province)

    def test_province(self) -> None:
        assert area_contains(self.province, self.province)
        assert area_contains(self.province, self.district_b)
        assert area_contains(self.province, self.ward_b1)
        assert not area_contains(self.province, Area.objects.get(code="00721"))
        assert not area_contains(self.province, Area.objects.get(code="02"))


class AreasWithinTests(PhongdichTestCase):
    def test_ward(self) -> None:
        assert list(areas_within(self.ward_a1)) == [self.ward_a1]

    def test_district(self) -> None:
        within = areas_within(self.district_a)
        assert within.count() == 1 + BA_DINH_WARDS
        assert set(within.values_list("level", flat=True)) == {Level.DISTRICT, Level.WARD}
        assert not within.filter(pk=self.ward_b1.pk).exists()

    def test_province(self) -> None:
        within = areas_within(self.province)
        assert within.count() == 1 + 30 + 579
        assert within.filter(level=Level.PROVINCE).get() == self.province
        assert not within.filter(code="02").exists()
