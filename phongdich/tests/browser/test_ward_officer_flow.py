"""A ward officer's day, in Debian's chromium driven by Playwright: log in, import a list,
open the rejected-rows report, register an F0 by hand, find her by a name typed without diacritics.

A screenshot of each step is kept in test-output/browser/. Chromium missing is a failure, not a skip.
"""

import io
from datetime import date
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from phongdich.imports.tests.test_import_cases import good_row, xlsx_bytes
from phongdich.tests.browser.conftest import SHOTS


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ward_officer_imports_registers_and_finds_an_f0(live_server, browser_page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from phongdich.accounts.roles import Role
    from phongdich.accounts.services import user_create
    from phongdich.areas.models import Area
    from phongdich.areas.services import areas_load

    areas_load()  # transactional tests start from an empty database
    user_create(username="chi.phucxa", password="Mat-khau-rat-manh-2022", role=Role.WARD_OFFICER,
                area=Area.objects.get(code="00001"), full_name="Nguyễn Thị Chi")  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page

    def shot(name: str) -> None:
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    # 1. Log in.
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", "chi.phucxa")
    page.fill("#id_password", "Mat-khau-rat-manh-2022")
    shot("1-login")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/theo-doi/hom-nay/")
    assert "Nguyễn Thị Chi" in page.content()

    # 2. Import a small xlsx with one good row and one without a name.
    upload = tmp_path / "danh-sach-f0.xlsx"
    upload.write_bytes(xlsx_bytes([good_row(1), good_row(2, **{"Họ và tên": ""})]))
    page.goto(f"{live_server.url}/nhap/")
    page.set_input_files("#id_file", str(upload))
    page.click("main button[type=submit]")
    page.wait_for_selector("#report-link")
    assert "Hoàn thành" in page.inner_text("#job-progress")
    shot("2-import-done")

    # 3. Open the rejected-rows report.
    assert "Thiếu họ và tên." in page.inner_text("#issues")
    with page.expect_download() as download_info:
        page.click("#report-link")
    report = download_info.value.path()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(Path(report).read_bytes())).get_sheet_by_index(0).to_python()
    assert any(r[1] == "Bị từ chối" and r[3] == "Thiếu họ và tên." for r in rows[1:])
    shot("3-report")

    # 4. Register an F0 by hand.
    page.goto(f"{live_server.url}/f0/dang-ky/")
    page.fill("#id_full_name", "Trần Thị Hoà Bình")
    page.fill("#id_birth", "1990")
    page.select_option("#id_sex", "F")
    page.fill("#id_phone", "+84 983 456 789")
    page.select_option("#id_ward", label="Phường Phúc Xá — Quận Ba Đình")
    page.fill("#id_confirmed_on", date(2022, 2, 22).isoformat())
    page.select_option("#id_test_kind", "rapid_antigen")
    shot("4-register-form")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/f0/*/")
    assert "Trần Thị Hoà Bình" in page.content()
    shot("4-registered")

    # 5. Find her by a name typed without diacritics.
    page.goto(f"{live_server.url}/nguoi/?q=tran thi hoa binh")
    results = page.inner_text("main")
    assert "Trần Thị Hoà Bình" in results
    assert "0983456789" in results
    shot("5-search")
