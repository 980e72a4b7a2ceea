"""Stock and beds under officers acting at the same moment: real threads, real commits, on SQLite and PostgreSQL.

Each thread has its own database connection and transaction, so on PostgreSQL the conditional UPDATEs
really race (row locks, re-checked conditions); SQLite runs one writer at a time.
"""

import threading
import time
from collections.abc import Callable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.test import TransactionTestCase
from django.utils import timezone

from phongdich.accounts.models import User
from phongdich.accounts.roles import Role
from phongdich.accounts.services import user_create
from phongdich.areas.models import Area
from phongdich.audit.models import AuditLog
from phongdich.care.models import Dispensing, Facility, Package, Stock, StockMovement, Transfer
from phongdich.care.services import (
    FacilityData,
    FacilityFull,
    case_transfer,
    facility_create,
    medicine_dispense,
    stock_receive,
)
from phongdich.cases.models import Case, Place
from phongdich.cases.models import TestKind as CaseTestKind
from phongdich.cases.services import case_register
from phongdich.people.models import Person
from phongdich.people.services import PersonData, person_create

THREADS = 8


def _call_retrying_sqlite_locks(call: Callable[[], object]) -> object:
    # The in-memory test database is SQLite's shared cache, whose table locks fail at once ("database
    # table is locked") instead of waiting like a file database does: wait and retry, as the timeout would.
    for _attempt in range(200):
        try:
            return call()
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.01)
    raise AssertionError("SQLite stayed locked")


def run_at_once(calls: list[Callable[[], object]]) -> list[object]:
    """Run each call in its own thread, all released together; the result or the exception of each."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def work(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = _call_retrying_sqlite_locks(call)
        except Exception as error:  # reported to the test, which asserts on it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


class CareConcurrencyTests(TransactionTestCase):
    def setUp(self) -> None:
        self.ward = Area.objects.get(code="00001")
        self.district = self.ward.parent
        self.admin = user_create(
            username="cc_admin", password=None, role=Role.CITY_ADMIN, area=Area.objects.get(code="01")
        )
        self.officers = [
            user_create(username=f"cc_ward_{i}", password=None, role=Role.WARD_OFFICER, area=self.ward)
            for i in range(THREADS)
        ]
        today = timezone.localdate()
        self.cases = [self._case(i, today - timedelta(days=1)) for i in range(THREADS)]

    def _case(self, i: int, confirmed_on: date) -> Case:
        data = PersonData(
            full_name=f"Người thử {i}", birth_year=1960, sex="M", ward=self.ward, phone=f"09120000{i:02d}"
        )
        person = person_create(actor=self.admin, data=data)
        return case_register(
            actor=self.admin, person=person, ward=self.ward, confirmed_on=confirmed_on, test_kind=CaseTestKind.RT_PCR
        )

    def _fixture_teardown(self) -> None:
        # Not Django's flush of every table: the areas (loaded once per test session) and the MoH list of
        # conditions (a data migration) must outlive this class. Delete exactly what these tests wrote.
        users = [self.admin, *self.officers]
        cases = Case.objects.filter(pk__in=[c.pk for c in self.cases])
        StockMovement.objects.filter(by__in=users).delete()
        Dispensing.objects.filter(case__in=cases).delete()
        Stock.objects.filter(area__in=[self.ward, self.district]).delete()
        Transfer.objects.filter(case__in=cases).delete()
        persons = list(cases.values_list("person_id", flat=True))
        cases.delete()
        Person.objects.filter(pk__in=persons).delete()
        Facility.objects.filter(code__startswith="CC-").delete()
        AuditLog.objects.filter(actor__in=users).delete()
        User.objects.filter(pk__in=[u.pk for u in users]).delete()

    def facility(self, code: str, beds: int) -> Facility:
        data = FacilityData(code=code, name=f"Cơ sở {code}", tier=2, district=self.district, beds=beds)
        return facility_create(actor=self.admin, data=data)

    def test_stock_never_negative_when_officers_dispense_at_once(self) -> None:
        stock_receive(actor=self.admin, area=self.ward, package=Package.A, quantity=3)
        results = run_at_once(
            [
                lambda case=case, officer=officer: medicine_dispense(actor=officer, case=case, package=Package.A)
                for case, officer in zip(self.cases, self.officers, strict=True)
            ]
        )
        given = [r for r in results if isinstance(r, Dispensing)]
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(given) == 3, results
        assert len(refused) == THREADS - 3, results
        assert all("Hết túi thuốc A tại trạm y tế Phường Phúc Xá" in r.messages[0] for r in refused)
        stock = Stock.objects.get(area=self.ward, package=Package.A)
        assert (stock.balance, stock.received, stock.dispensed) == (0, 3, 3)
        assert Dispensing.objects.filter(case__in=self.cases).count() == 3
        assert StockMovement.objects.filter(area=self.ward, kind="dispensed").count() == 3

    def test_the_same_f0_gets_one_course_when_two_officers_dispense_at_once(self) -> None:
        stock_receive(actor=self.admin, area=self.ward, package=Package.A, quantity=10)
        case = self.cases[0]
        results = run_at_once(
            [lambda officer=officer: medicine_dispense(actor=officer, case=case, package=Package.A)
             for officer in self.officers[:4]]
        )  # fmt: skip
        assert sum(isinstance(r, Dispensing) for r in results) == 1, results
        assert all("F0 đã được cấp Túi thuốc A" in r.messages[0] for r in results if isinstance(r, ValidationError))
        assert Stock.objects.get(area=self.ward, package=Package.A).balance == 9

    def test_beds_exact_when_f0_are_transferred_at_once(self) -> None:
        facility = self.facility("CC-3", beds=3)
        results = run_at_once(
            [
                lambda case=case, officer=officer: case_transfer(
                    actor=officer, case=case, facility=facility, reason="Khó thở"
                )
                for case, officer in zip(self.cases, self.officers, strict=True)
            ]
        )
        moved = [r for r in results if isinstance(r, Transfer)]
        full = [r for r in results if isinstance(r, FacilityFull)]
        assert (len(moved), len(full)) == (3, THREADS - 3), results
        facility.refresh_from_db()
        assert facility.occupied == 3
        assert Case.objects.filter(pk__in=[c.pk for c in self.cases], facility=facility).count() == 3
        assert Case.objects.filter(pk__in=[c.pk for c in self.cases], place=Place.HOME).count() == THREADS - 3

    def test_the_same_f0_transferred_twice_at_once_takes_one_bed(self) -> None:
        first, second = self.facility("CC-A", beds=5), self.facility("CC-B", beds=5)
        case = self.cases[0]
        results = run_at_once(
            [
                lambda: case_transfer(actor=self.officers[0], case=Case.objects.get(pk=case.pk), facility=first,
                                      reason="Chuyển", expected_version=1),
                lambda: case_transfer(actor=self.officers[1], case=Case.objects.get(pk=case.pk), facility=second,
                                      reason="Chuyển", expected_version=1),
            ]
        )  # fmt: skip
        assert sum(isinstance(r, Transfer) for r in results) == 1, results
        stale = [r for r in results if isinstance(r, ValidationError)]
        assert len(stale) == 1 and "vừa được người khác cập nhật" in stale[0].messages[0]
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.occupied + second.occupied == 1
        stored = Case.objects.get(pk=case.pk)
        assert stored.version == 2 and stored.facility_id in (first.pk, second.pk)
        assert Transfer.objects.filter(case=case).count() == 1

    def test_opposite_transfers_at_once_do_not_deadlock(self) -> None:
        low, high = self.facility("CC-LOW", beds=4), self.facility("CC-HIGH", beds=4)
        pairs = [(self.cases[i], low if i % 2 else high) for i in range(4)]
        for case, facility in pairs:
            case_transfer(actor=self.admin, case=case, facility=facility, reason="Vào viện")
        results = run_at_once(
            [
                lambda case=case, facility=facility: case_transfer(
                    actor=self.admin,
                    case=Case.objects.get(pk=case.pk),
                    facility=high if facility == low else low,
                    reason="Đổi cơ sở",
                )
                for case, facility in pairs
            ]
        )
        assert all(isinstance(r, Transfer) for r in results), results
        low.refresh_from_db()
        high.refresh_from_db()
        assert (low.occupied, high.occupied) == (2, 2)
