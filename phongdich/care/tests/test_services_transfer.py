from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from phongdich.areas.models import Area
from phongdich.audit.models import AuditLog
from phongdich.care.models import Facility, Transfer, TransferKind
from phongdich.care.selectors import facility_nearest_free, transfers_for_case
from phongdich.care.services import (
    FacilityData,
    FacilityFull,
    case_discharge_home,
    case_transfer,
    facility_update,
)
from phongdich.care.tests.base import CareTestCase
from phongdich.cases.models import Case, Place


class CaseTransferTests(CareTestCase):
    def setUp(self) -> None:
        self.case = self.create_case()

    def occupied(self, facility: Facility) -> int:
        facility.refresh_from_db()
        return facility.occupied

    def test_admit_transfer_discharge_keep_beds_and_case_exact(self) -> None:
        tier1 = self.create_facility("T1", tier=1, beds=5)
        tier2 = self.create_facility("T2", tier=2, beds=5, occupied=2)
        admit = case_transfer(actor=self.ward_officer_a1, case=self.case, facility=tier1, reason="Nhiều bệnh nền")
        assert (admit.kind, admit.from_facility, admit.to_facility, admit.case_version) == (
            TransferKind.ADMIT, None, tier1, 1,
        )  # fmt: skip
        assert (self.occupied(tier1), self.case.place, self.case.version) == (1, Place.FACILITY, 2)
        move = case_transfer(actor=self.doctor_a1, case=self.case, facility=tier2, reason="SpO2 94 %")
        assert (move.kind, move.from_facility, move.to_facility) == (TransferKind.TRANSFER, tier1, tier2)
        assert (self.occupied(tier1), self.occupied(tier2)) == (0, 3)
        home = case_discharge_home(actor=self.ward_officer_a1, case=self.case, reason="Ổn định, về nhà")
        assert (home.kind, home.from_facility, home.to_facility) == (TransferKind.DISCHARGE, tier2, None)
        assert self.occupied(tier2) == 2
        stored = Case.objects.get(pk=self.case.pk)
        assert (stored.place, stored.facility_id, stored.version) == (Place.HOME, None, 4)
        assert [t.kind for t in transfers_for_case(self.case)] == ["discharge", "transfer", "admit"]
        assert (
            AuditLog.objects.filter(target_type="case", target_id=self.case.pk, extra__has_key="transfer").count() == 3
        )

    def test_a_full_facility_is_refused_with_the_nearest_of_its_tier(self) -> None:
        # Phúc Xá ward centre ≈ 21.0468, 105.8481.
        full = self.create_facility("FULL", beds=2, occupied=2, lat=21.04, lon=105.85, name="BV Đầy")
        near = self.create_facility("NEAR", beds=10, lat=21.05, lon=105.85, name="BV Gần")
        middle = self.create_facility("MID", beds=10, lat=21.10, lon=105.85, name="BV Vừa", district=self.district_b)
        far = self.create_facility("FAR", beds=10, lat=21.30, lon=105.85, name="BV Xa")
        self.create_facility("FARTHEST", beds=10, lat=21.50, lon=105.85, name="BV Xa nhất")
        self.create_facility("OTHERTIER", tier=3, beds=10, lat=21.047, lon=105.848)
        self.create_facility("ALSOFULL", beds=1, occupied=1, lat=21.047, lon=105.848)
        self.create_facility("NOWHERE", beds=50, name="BV Không toạ độ")
        with self.assertRaises(FacilityFull) as raised:
            case_transfer(actor=self.ward_officer_a1, case=self.case, facility=full, reason="Khó thở")
        error = raised.exception
        assert [s.facility for s in error.suggestions] == [near, middle, far]
        assert [round(s.distance_km or 0) for s in error.suggestions] == [0, 6, 28]
        assert error.messages == [
            "BV Đầy đã hết giường. Cơ sở tầng 2 gần nhất còn giường: BV Gần (còn 10 giường, cách 0,4 km); "
            "BV Vừa (còn 10 giường, cách 5,9 km); BV Xa (còn 10 giường, cách 28,2 km)."
        ]
        # Nothing moved: the F0 is still at home with its version, the full facility unchanged.
        stored = Case.objects.get(pk=self.case.pk)
        assert (stored.place, stored.version, self.occupied(full)) == (Place.HOME, 1, 2)
        assert not Transfer.objects.exists()

    def test_nearest_falls_back_to_the_district_wards_centre_then_to_free_beds(self) -> None:
        ward = Area.objects.filter(parent=self.district_a).exclude(pk=self.ward_a1.pk).first()
        assert ward is not None
        Area.objects.filter(pk=ward.pk).update(lat=None, lon=None)
        ward.refresh_from_db()
        near = self.create_facility("NEAR", beds=10, lat=21.04, lon=105.83)
        far = self.create_facility("FAR", beds=10, lat=21.40, lon=105.83)
        unknown = self.create_facility("UNKNOWN", beds=50)
        found = facility_nearest_free(tier=2, near=ward)
        assert [n.facility for n in found] == [near, far, unknown]
        assert found[0].distance_km is not None and found[2].distance_km is None

    def test_a_stale_version_is_refused(self) -> None:
        facility = self.create_facility("T2")
        stale = Case.objects.get(pk=self.case.pk)
        case_transfer(actor=self.ward_officer_a1, case=self.case, facility=facility, reason="Chuyển")
        other = self.create_facility("T2B")
        with self.assertRaisesMessage(ValidationError, "vừa được người khác cập nhật"):
            case_transfer(actor=self.ward_officer_a1, case=stale, facility=other, reason="Chuyển lần hai")
        with self.assertRaisesMessage(ValidationError, "vừa được người khác cập nhật"):
            case_transfer(
                actor=self.ward_officer_a1, case=self.case, facility=other, reason="Chuyển", expected_version=1
            )
        assert (self.occupied(facility), self.occupied(other)) == (1, 0)

    def test_refusals(self) -> None:
        facility = self.create_facility("T2")
        with self.assertRaisesMessage(ValidationError, "Ghi lý do chuyển"):
            case_transfer(actor=self.ward_officer_a1, case=self.case, facility=facility, reason="  ")
        with self.assertRaisesMessage(ValidationError, "không thuộc địa bàn của bạn"):
            case_transfer(actor=self.ward_officer_b1, case=self.case, facility=facility, reason="Chuyển")
        with self.assertRaisesMessage(ValidationError, "F0 đang điều trị tại nhà"):
            case_discharge_home(actor=self.ward_officer_a1, case=self.case, reason="Về")
        case_transfer(actor=self.ward_officer_a1, case=self.case, facility=facility, reason="Chuyển")
        with self.assertRaisesMessage(ValidationError, "F0 đang điều trị tại Cơ sở T2"):
            case_transfer(actor=self.ward_officer_a1, case=self.case, facility=facility, reason="Chuyển")
        closed = self.create_facility("CLOSED")
        Facility.objects.filter(pk=closed.pk).update(active=False)
        closed.refresh_from_db()
        with self.assertRaisesMessage(ValidationError, "đang tạm ngừng tiếp nhận"):
            case_transfer(actor=self.ward_officer_a1, case=self.case, facility=closed, reason="Chuyển")


class FacilityUpdateTests(CareTestCase):
    def data(self, facility: Facility, **changes: object) -> FacilityData:
        values = {
            "code": facility.code, "name": facility.name, "tier": facility.tier, "district": facility.district,
            "beds": facility.beds, "icu_beds": facility.icu_beds, "icu_occupied": facility.icu_occupied,
            **changes,
        }  # fmt: skip
        return FacilityData(**values)  # type: ignore[arg-type]

    def test_update_never_writes_occupied_and_refuses_fewer_beds_than_patients(self) -> None:
        facility = self.create_facility("T2", beds=10, occupied=4)
        stale = Facility.objects.get(pk=facility.pk)
        Facility.objects.filter(pk=facility.pk).update(occupied=6)  # a transfer meanwhile
        facility_update(actor=self.district_officer_a, facility=stale, data=self.data(stale, beds=8, name="Mới"))
        facility.refresh_from_db()
        assert (facility.beds, facility.occupied, facility.name) == (8, 6, "Mới")
        with self.assertRaisesMessage(ValidationError, "không được ít hơn số người đang điều trị"):
            facility_update(actor=self.district_officer_a, facility=facility, data=self.data(facility, beds=5))
        assert AuditLog.objects.filter(target_type="facility", target_id=facility.pk, changes__beds=[10, 8]).exists()

    def test_a_district_officer_edits_only_his_district(self) -> None:
        facility = self.create_facility("T2B", district=self.district_b)
        with self.assertRaisesMessage(ValidationError, "không thuộc địa bàn của bạn"):
            facility_update(actor=self.district_officer_a, facility=facility, data=self.data(facility, beds=20))
        mine = self.create_facility("T2A")
        with self.assertRaisesMessage(ValidationError, "phải thuộc địa bàn của bạn"):
            facility_update(
                actor=self.district_officer_a, facility=mine, data=self.data(mine, district=self.district_b)
            )

    def test_the_database_refuses_overbooking(self) -> None:
        facility = self.create_facility("T2", beds=1)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Facility.objects.filter(pk=facility.pk).update(occupied=2)
