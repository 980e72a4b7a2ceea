"""The city dashboard in Debian's chromium: the steering committee opens it, sees the epidemic curve and the ward
map (schematic cells, Phúc Xá coloured by its level), zooms in on Ba Đình, clicks Phúc Xá and lands on the F0
list of that ward only.

Screenshots are kept in test-output/browser/.
"""

from datetime import timedelta

import pytest

from phongdich.tests.browser.conftest import SHOTS

PASSWORD = "Mat-khau-rat-manh-2022"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_city_dashboard_map_click_opens_the_ward_list(live_server, browser_page) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from phongdich.accounts.roles import Role
    from phongdich.accounts.services import user_create
    from phongdich.areas.models import Area
    from phongdich.areas.services import areas_load
    from phongdich.cases.models import TestKind
    from phongdich.cases.services import case_register
    from phongdich.levels.models import Assessment, AssessmentKind
    from phongdich.people.services import PersonData, person_create

    areas_load()  # transactional tests start from an empty database
    city = Area.objects.get(code="01")
    phuc_xa, phuc_tan = Area.objects.get(code="00001"), Area.objects.get(code="00037")
    user_create(username="bcd.hanoi", password=PASSWORD, role=Role.STEERING, area=city,
                full_name="Trần Văn Bình")  # fmt: skip
    admin = user_create(username="admin", password=PASSWORD, role=Role.CITY_ADMIN, area=city)
    today = timezone.localdate()
    for name, ward in (("Lê Thị Hoa", phuc_xa), ("Phạm Văn Nam", phuc_xa), ("Đỗ Thị Mai", phuc_tan)):
        person = person_create(actor=admin, data=PersonData(full_name=name, birth_year=1980, sex="F", ward=ward))
        case_register(actor=admin, person=person, ward=ward, confirmed_on=today - timedelta(days=1),
                      test_kind=TestKind.RT_PCR)  # fmt: skip
    Assessment.objects.create(
        area=phuc_xa, cutoff_on=today, kind=AssessmentKind.ON_DEMAND, level=3, rule_set="218", rule_version=1,
        computed_at=timezone.now(),
    )  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", "bcd.hanoi")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")

    # The city dashboard: the curve is drawn, the map shows Hà Nội's 579 wards as schematic cells.
    page.goto(f"{live_server.url}/tong-quan/")
    page.wait_for_selector("#ward-map[data-ready='1']")
    assert page.locator("#chart-curve").is_visible()
    assert page.locator("#ward-map path.ward-cell").count() == 579
    assert "không phải ranh giới thật" in page.inner_text("#ward-map-schematic")
    assert "Cao nhất 3 ca" in page.inner_text("#curve-title + p")  # the three cases entered just now
    assert page.get_attribute("#ward-map path.ward-00001", "fill") == "#ef6c00"  # level 3: orange
    page.screenshot(path=str(SHOTS / "dashboard-1-city.png"), full_page=True)

    # Colour by an indicator instead: the legend follows; Phúc Xá (2 new cases) is darker than Phúc Tân (1),
    # Trúc Bạch (none) is white.
    page.select_option("#ward-map-indicator", "new_7d")
    assert "Ca mới trong 7 ngày" in page.inner_text("#ward-map-legend-box")
    assert page.get_attribute("#ward-map path.ward-00001", "fill") == "#74a9cf"
    assert page.get_attribute("#ward-map path.ward-00037", "fill") == "#bdc9e1"
    assert page.get_attribute("#ward-map path.ward-00004", "fill") == "#ffffff"
    page.select_option("#ward-map-indicator", "level")

    def centre_of_phuc_xa() -> dict:
        return page.evaluate(
            "([lat, lon]) => { const p = document.getElementById('ward-map').wardMap.latLngToContainerPoint([lat, lon]);"
            " const box = document.getElementById('ward-map').getBoundingClientRect();"
            " return {x: box.left + p.x, y: box.top + p.y}; }",
            [phuc_xa.lat, phuc_xa.lon],
        )

    # Zoom in on Ba Đình with the mouse wheel, as a user would, then click Phúc Xá.
    page.locator("#ward-map").scroll_into_view_if_needed()
    for _ in range(4):
        point = centre_of_phuc_xa()
        page.mouse.move(point["x"], point["y"])
        page.mouse.wheel(0, -400)
        page.wait_for_timeout(400)
    point = centre_of_phuc_xa()
    page.mouse.move(point["x"], point["y"])
    page.wait_for_selector(".leaflet-tooltip:has-text('Phường Phúc Xá')")
    page.screenshot(path=str(SHOTS / "dashboard-2-map-zoomed.png"))
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(f"**/f0/?ward={phuc_xa.pk}")
    listing = page.inner_text("main")
    assert "Lê Thị Hoa" in listing and "Phạm Văn Nam" in listing
    assert "Đỗ Thị Mai" not in listing  # another district's case is not on Phúc Xá's list
    page.screenshot(path=str(SHOTS / "dashboard-3-ward-list.png"), full_page=True)
