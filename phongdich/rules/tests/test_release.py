"""End of isolation by the rule in force on the positive date, and "fully vaccinated" by 10696 and 762."""

from datetime import date

from django.test import SimpleTestCase

from phongdich.rules.release import fully_vaccinated, release_plan


class ReleasePlanTests(SimpleTestCase):
    def test_before_11011(self) -> None:
        plan = release_plan(confirmed_on=date(2021, 11, 1), fully_vaccinated=True)
        assert (plan.due_on, plan.needs_negative_test, plan.extended_due_on) == (date(2021, 11, 11), True, None)
        assert plan.rule_set == "RELEASE-4038"

    def test_11011_ten_days_and_a_negative_test(self) -> None:
        plan = release_plan(confirmed_on=date(2022, 1, 5), fully_vaccinated=False)
        assert plan.due_on == date(2022, 1, 15)
        assert plan.needs_negative_test is True
        assert plan.extended_due_on is None
        assert (plan.rule_set, plan.rule_label) == ("RELEASE-11011", "CV 11011/BYT-KCB (28/12/2021)")

    def test_11011_from_its_date(self) -> None:
        assert release_plan(confirmed_on=date(2021, 12, 27), fully_vaccinated=None).rule_set == "RELEASE-4038"
        assert release_plan(confirmed_on=date(2021, 12, 28), fully_vaccinated=None).rule_set == "RELEASE-11011"

    def test_762_seven_days_then_ten_or_fourteen(self) -> None:
        on = date(2022, 2, 21)
        vaccinated = release_plan(confirmed_on=on, fully_vaccinated=True)
        assert (vaccinated.due_on, vaccinated.extended_due_on) == (date(2022, 2, 28), date(2022, 3, 3))
        assert vaccinated.rule_label == "CV 762/BYT-DP (21/02/2022)"
        assert release_plan(confirmed_on=on, fully_vaccinated=False).extended_due_on == date(2022, 3, 7)
        assert release_plan(confirmed_on=on, fully_vaccinated=None).extended_due_on == date(2022, 3, 7)
        assert release_plan(confirmed_on=date(2022, 2, 20), fully_vaccinated=True).rule_set == "RELEASE-11011"

    def test_762_continues_under_604(self) -> None:
        plan = release_plan(confirmed_on=date(2022, 4, 10), fully_vaccinated=True)
        assert (plan.rule_set, plan.due_on) == ("RELEASE-762", date(2022, 4, 17))


class FullyVaccinatedTests(SimpleTestCase):
    def test_unknown(self) -> None:
        assert fully_vaccinated(doses=None, last_dose_on=None, on=date(2022, 3, 1)) is None
        assert fully_vaccinated(doses=2, last_dose_on=None, on=date(2022, 3, 1)) is None

    def test_too_few_doses(self) -> None:
        assert fully_vaccinated(doses=1, last_dose_on=None, on=date(2022, 3, 1)) is False
        assert fully_vaccinated(doses=0, last_dose_on=None, on=date(2021, 10, 1)) is False

    def test_fourteen_days(self) -> None:
        on = date(2022, 3, 1)
        assert fully_vaccinated(doses=2, last_dose_on=date(2022, 2, 15), on=on) is True
        assert fully_vaccinated(doses=2, last_dose_on=date(2022, 2, 16), on=on) is False

    def test_10696_six_months_upper_bound(self) -> None:
        on = date(2022, 1, 10)
        assert fully_vaccinated(doses=2, last_dose_on=date(2021, 7, 10), on=on) is True
        assert fully_vaccinated(doses=2, last_dose_on=date(2021, 7, 9), on=on) is False

    def test_762_has_no_upper_bound(self) -> None:
        assert fully_vaccinated(doses=2, last_dose_on=date(2021, 7, 1), on=date(2022, 3, 1)) is True

    def test_before_10696(self) -> None:
        assert fully_vaccinated(doses=2, last_dose_on=date(2021, 3, 1), on=date(2021, 11, 1)) is True
