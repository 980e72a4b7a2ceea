"""Home care end to end, in Debian's chromium: a patient declares through her personal link with SpO2 94 →
the alert appears in the ward's queue → the officer handles it → package C is refused because she is
pregnant → she is transferred to a tier-2 facility.

A screenshot of each step is kept in test-output/browser/.
"""

from datetime import timedelta

import pytest

from phongdich.tests.browser.conftest import SHOTS

PASSWORD = "Mat-khau-rat-manh-2022"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_patient_link_alert_medicine_refusal_and_transfer(live_server, browser_page) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from phongdich.accounts.roles import Role
    from phongdich.accounts.services import user_create
    from phongdich.areas.models import Area
    from phongdich.areas.services import areas_load
    from phongdich.care.models import Facility, Tier
    from phongdich.care.services import FacilityData, facility_create, stock_receive
    from phongdich.cases.models import Place, TestKind
    from phongdich.cases.services import CaseIntake, case_register
    from phongdich.monitoring.models import Alert
    from phongdich.people.services import PersonData, person_create

    areas_load()  # transactional tests start from an empty database
    ward = Area.objects.get(code="00001")
    officer = user_create(username="chi.phucxa", password=PASSWORD, role=Role.WARD_OFFICER, area=ward,
                          full_name="Nguyễn Thị Chi")  # fmt: skip
    admin = user_create(username="admin", password=PASSWORD, role=Role.CITY_ADMIN, area=Area.objects.get(code="01"))
    person = person_create(
        actor=officer,
        data=PersonData(full_name="Lê Thị Hoa", birth_year=1994, sex="F", ward=ward, pregnant=True, phone="0912345678"),
    )
    case = case_register(
        actor=officer, person=person, ward=ward, confirmed_on=timezone.localdate() - timedelta(days=1),
        test_kind=TestKind.RAPID_ANTIGEN, intake=CaseIntake(vaccine_doses=2),
    )  # fmt: skip
    stock_receive(actor=officer, area=ward, package="C", quantity=10)
    hospital = facility_create(
        actor=admin,
        data=FacilityData(code="BV-THANHNHAN", name="Bệnh viện Thanh Nhàn", tier=Tier.TWO, district=ward.parent,
                          address="42 Thanh Nhàn", beds=50, icu_beds=5, lat=21.0034, lon=105.8566),
    )  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page

    def shot(name: str, target=page) -> None:  # type: ignore[no-untyped-def]
        target.screenshot(path=str(SHOTS / f"home-care-{name}.png"), full_page=True)

    # 1. The officer logs in and makes the patient's personal link.
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", "chi.phucxa")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")
    page.goto(f"{live_server.url}/f0/{case.pk}/")
    page.click("text=Đường dẫn khai báo cho người bệnh")
    page.click("button[name=action][value=create]")
    link = page.input_value("input[readonly]")
    assert "/theo-doi/k/" in link
    shot("1-link")

    # 2. The patient, on a phone and without an account, declares SpO2 94.
    phone = page.context.browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 740})
    patient = phone.new_page()
    patient.goto(link)
    patient.fill("input[name=spo2]", "94")
    patient.fill("input[name=resp_rate]", "18")
    patient.fill("input[name=pulse]", "92")
    patient.fill("input[name=temperature]", "37.8")
    shot("2-patient-form", patient)
    patient.click("button[type=submit]")
    patient.wait_for_selector("text=SpO2 94%")
    result = patient.content()
    assert "trạm y tế" in result.lower()
    shot("3-patient-result", patient)
    phone.close()
    alert = Alert.objects.get(case=case)
    assert alert.level >= 2

    # 3. The alert is in the ward's queue; the officer handles it with a phone call.
    page.goto(f"{live_server.url}/theo-doi/canh-bao/")
    row = page.locator(f"#alert-{alert.pk}")
    assert case.code in row.inner_text()
    assert "SpO2 94%" in row.inner_text()
    shot("4-alert-queue")
    row.locator("summary").click()
    row.locator("select[name=action]").select_option("tu_van_dien_thoai")
    row.locator("textarea[name=note]").fill("Đã gọi điện, hướng dẫn nằm sấp, đo lại SpO2 sau 1 giờ.")
    row.locator("button:has-text('Lưu xử trí')").click()
    page.wait_for_selector(f"#alert-{alert.pk} >> text=Xử trí đầu tiên sau")
    shot("5-alert-handled")
    alert.refresh_from_db()
    assert alert.handled_by_id == officer.pk

    # 4. Package C is refused for a pregnant patient, with the reason.
    page.goto(f"{live_server.url}/f0/{case.pk}/")
    page.click("text=Cấp thuốc")
    page.check("input[name=package][value=C]")
    page.check("input[name=consent_signed]")
    page.click("main button[type=submit]:has-text('Cấp thuốc')")
    page.wait_for_selector("text=mang thai")
    shot("6-package-c-refused")

    # 5. Transfer to the tier-2 facility; the F0 page shows where she is now.
    page.goto(f"{live_server.url}/f0/{case.pk}/")
    page.click("text=Chuyển tầng / ra viện")
    page.select_option("select[name=destination]", str(hospital.pk))
    page.fill("input[name=reason]", "SpO2 94%, mang thai: chuyển tầng 2 theo dõi")
    page.click("main button[type=submit]:has-text('Chuyển')")
    page.wait_for_url(f"{live_server.url}/f0/{case.pk}/**")
    assert "Bệnh viện Thanh Nhàn" in page.content()
    shot("7-transferred")
    case.refresh_from_db()
    assert (case.place, case.facility_id) == (Place.FACILITY, hospital.pk)
    assert Facility.objects.get(pk=hospital.pk).occupied == 1
