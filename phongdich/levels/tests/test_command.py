"""manage.py assess_levels: weekly by default, a history of N weeks, a clear error."""

import json
from datetime import date
from io import StringIO

from django.core.management import CommandError, call_command

from phongdich.levels.models import Assessment, AssessmentKind
from phongdich.levels.tests.base import LevelsTestCase, frozen


class AssessLevelsCommandTests(LevelsTestCase):
    def test_weeks_and_json(self) -> None:
        out = StringIO()
        with frozen(date(2021, 12, 20)):
            call_command("assess_levels", "--date", "2021-12-20", "--weeks", "2", "--json", stdout=out)
        done = json.loads(out.getvalue())
        assert [d["cutoff_on"] for d in done] == ["2021-12-13", "2021-12-20"]
        assert all(d["areas"] == self.city_areas for d in done)
        assert Assessment.objects.filter(kind=AssessmentKind.WEEKLY).count() == 2 * self.city_areas

    def test_default_is_the_last_complete_report_day(self) -> None:
        with frozen(date(2021, 12, 20)):  # 21/12 at 10:00 → report day 21/12 still open → cut-off 20/12
            call_command("assess_levels", stdout=StringIO())
        assert set(Assessment.objects.values_list("cutoff_on", flat=True)) == {date(2021, 12, 20)}

    def test_error(self) -> None:
        with frozen(date(2021, 12, 20)), self.assertRaises(CommandError):
            call_command("assess_levels", "--date", "2020-01-01", stdout=StringIO())
