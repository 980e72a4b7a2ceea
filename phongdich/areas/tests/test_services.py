from phongdich.areas.models import Area, Level
from phongdich.areas.services import areas_load, population_import
from phongdich.audit.models import AuditLog, Event
from phongdich.testing import PhongdichTestCase


def level_counts() -> tuple[int, int, int]:
    return tuple(Area.objects.filter(level=level).count() for level in (Level.PROVINCE, Level.DISTRICT, Level.WARD))


class AreasLoadTests(PhongdichTestCase):
    def test_counts(self) -> None:
        assert level_counts() == (63, 705, 10598)
        assert Area.objects.filter(parent=self.province, level=Level.DISTRICT).count() == 30
        assert Area.objects.filter(parent__parent=self.province, level=Level.WARD).count() == 579

    def test_running_again_changes_nothing(self) -> None:
        before = dict(Area.objects.values_list("code", "pk"))
        assert areas_load() == 63 + 705 + 10598
        assert areas_load() == 63 + 705 + 10598
        assert level_counts() == (63, 705, 10598)
        assert dict(Area.objects.values_list("code", "pk")) == before

    def test_refreshes_a_changed_name_and_keeps_population(self) -> None:
        Area.objects.filter(pk=self.ward_a1.pk).update(name="Tên cũ", population=1234)
        areas_load()
        self.ward_a1.refresh_from_db()
        assert self.ward_a1.name == "Phường Phúc Xá"
        assert self.ward_a1.population == 1234


class PopulationImportTests(PhongdichTestCase):
    def test_good_rows_are_kept_and_bad_rows_reported(self) -> None:
        rows = [
            (2, "00001", 37853.0),  # calamine reads every xlsx number as a float
            (3, "4", "30.955"),  # leading zeros dropped by Excel, Vietnamese thousands separator
            (4, "00037", 1000),  # Phúc Tân is in Hoàn Kiếm, outside the scope
            (5, "99999", 10),
            (6, "00006", "nhiều"),
            (7, "00007", -5),
            (8, "00008.0", 12.5),  # a fractional spreadsheet number
        ]
        result = population_import(actor=self.city_admin, scope=self.district_a, rows=rows)
        assert result.updated == 2
        assert len(result.errors) == 5
        assert result.errors[0].startswith("Dòng 4:")
        assert "00037" in result.errors[0]
        assert "Dòng 5:" in result.errors[1]
        assert "nhiều" in result.errors[2]
        assert "Dòng 7:" in result.errors[3]
        assert "Dòng 8:" in result.errors[4]
        populations = dict(
            Area.objects.filter(code__in=["00001", "00004", "00037", "00006"]).values_list("code", "population")
        )
        assert populations == {"00001": 37853, "00004": 30955, "00037": None, "00006": None}
        logs = AuditLog.objects.filter(target_type="area", event=Event.UPDATE).order_by("id")
        assert [(log.target_id, log.changes) for log in logs] == [
            (self.ward_a1.pk, {"population": [None, 37853]}),
            (self.ward_a2.pk, {"population": [None, 30955]}),
        ]
        assert logs[0].actor == self.city_admin
        assert logs[0].area == self.ward_a1

    def test_unchanged_rows_are_not_rewritten(self) -> None:
        population_import(actor=self.city_admin, scope=self.province, rows=[(2, "00001", 100)])
        result = population_import(actor=self.city_admin, scope=self.province, rows=[(2, "00001", 100)])
        assert result.updated == 0
        assert result.errors == []
        assert AuditLog.objects.filter(target_type="area").count() == 1
