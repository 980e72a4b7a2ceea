"""Vaccination outreach in Debian's chromium: a ward officer filters the due list to overdue people aged 50
and over, opens the printable list and prints it (to PDF); people under 50 and those up to date are not on it.

Screenshots and the PDF are kept in test-output/browser/.
"""

from datetime import date

import pytest

from phongdich.tests.browser.conftest import SHOTS

PASSWORD = "Mat-khau-rat-manh-2022"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ward_officer_prints_the_overdue_list_of_people_over_50(live_server, browser_page) -> None:  # type: ignore[no-untyped-def]
    from phongdich.accounts.roles import Role
    from phongdich.accounts.services import user_create
    from phongdich.areas.models import Area
    from phongdich.areas.services import areas_load
    from phongdich.people.services import PersonData, person_create
    from phongdich.vaccination.services import dose_record

    areas_load()  # transactional tests start from an empty database
    ward = Area.objects.get(code="00001")
    officer = user_create(username="chi.phucxa", password=PASSWORD, role=Role.WARD_OFFICER, area=ward,
                          full_name="Nguyễn Thị Chi")  # fmt: skip

    def person(name: str, birth_year: int) -> object:
        return person_create(actor=officer, data=PersonData(full_name=name, birth_year=birth_year, sex="F", ward=ward,
                                                            phone="0912345678", address="5 Phúc Xá"))  # fmt: skip

    # Overdue and 50+: one AstraZeneca dose in July 2021, nothing since.
    elder = person("Trần Thị Lan", 1955)
    dose_record(actor=officer, person=elder, given_on=date(2021, 7, 10), product="astrazeneca")
    # Overdue but under 50.
    young = person("Phạm Văn Tùng", 1995)
    dose_record(actor=officer, person=young, given_on=date(2021, 7, 10), product="astrazeneca")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", "chi.phucxa")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")

    # The due list, filtered to overdue people aged 50 and over.
    page.goto(f"{live_server.url}/tiem-chung/den-han/")
    assert "Trần Thị Lan" in page.content() and "Phạm Văn Tùng" in page.content()
    page.check("input[name=overdue]")
    page.select_option("select[name=min_age]", "50")
    page.click("main button[type=submit]:has-text('Lọc')")
    page.wait_for_url("**overdue=on**")
    assert "Trần Thị Lan" in page.content()
    assert "Phạm Văn Tùng" not in page.content()
    page.screenshot(path=str(SHOTS / "vaccination-1-due-list.png"), full_page=True)

    # The printable list opens in a new tab; print it.
    with page.context.expect_page() as opened:
        page.click("#due-print-link")
    printable = opened.value
    printable.wait_for_load_state()
    table = printable.inner_text("#due-print-table")
    assert "Trần Thị Lan" in table
    assert "Phạm Văn Tùng" not in table
    printable.screenshot(path=str(SHOTS / "vaccination-2-print.png"), full_page=True)
    printable.emulate_media(media="print")
    pdf = printable.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    (SHOTS / "vaccination-overdue-50.pdf").write_bytes(pdf)
