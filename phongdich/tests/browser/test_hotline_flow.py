"""A citizen request answered in time, in Debian's chromium driven by Playwright: the hotline operator takes a call
(phone, an address in Phúc Xá, food), sees it routed to Phường Phúc Xá and reads out the code; the ward officer of
Phúc Xá finds it at the top of her queue with the time left and answers it ("trả lời đúng hạn"); the caller checks
the status with the code and the last four digits of the phone and reads the answer.

A screenshot of each step is kept in test-output/browser/. Chromium missing is a failure, not a skip.
"""

from datetime import timedelta

import pytest

from phongdich.tests.browser.conftest import SHOTS

PASSWORD = "Mat-khau-rat-manh-2022"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_hotline_call_answered_in_time(live_server, browser_page) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from phongdich.accounts.roles import Role
    from phongdich.accounts.services import user_create
    from phongdich.areas.models import Area
    from phongdich.areas.services import areas_load
    from phongdich.hotline.models import Channel, Request, RequestCategory
    from phongdich.hotline.services import categories_load, request_create

    areas_load()  # transactional tests start from an empty database
    categories_load()
    city, phuc_xa = Area.objects.get(code="01"), Area.objects.get(code="00001")
    operator = user_create(username="tongdai.hoa", password=PASSWORD, role=Role.HOTLINE, area=city,
                           full_name="Ngô Thị Hoa")  # fmt: skip
    user_create(
        username="chi.phucxa", password=PASSWORD, role=Role.WARD_OFFICER, area=phuc_xa, full_name="Nguyễn Thị Chi"
    )
    # Another request of Phúc Xá taken a little later, so due later: the new call must come above it.
    request_create(actor=operator, category=RequestCategory.objects.get(code="food"), channel=Channel.ZALO,
                   message="Xin hỏi lịch phát gạo.", caller_phone="0977000111", ward=phuc_xa,
                   now=timezone.now() + timedelta(minutes=5))  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page

    def shot(name: str) -> None:
        page.screenshot(path=str(SHOTS / f"hotline-{name}.png"), full_page=True)

    def log_in(username: str) -> None:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_selector(".userbox")

    # 1. The operator takes the call: phone first (the caller's history appears), then the address routes the ward.
    log_in("tongdai.hoa")
    page.goto(f"{live_server.url}/tong-dai/tiep-nhan/")
    page.fill("#id_caller_phone", "0912 345 678")
    page.fill("#id_caller_name", "Lê Văn Nam")
    page.wait_for_selector("#caller-history")
    assert "chưa gọi lần nào" in page.inner_text("#caller-history")
    page.fill("#id_caller_address", "15 ngõ 3 Phúc Xá, Ba Đình")
    page.press("#id_caller_address", "Tab")
    page.wait_for_selector("#ward-routed")
    page.select_option("#id_category", label="Lương thực, thực phẩm, nhu yếu phẩm")
    assert "Phường Phúc Xá" in page.inner_text("#ward-routed")
    page.fill("#id_message", "Gia đình 4 người F0 đang cách ly tại nhà, hết gạo và rau, xin hỗ trợ.")
    shot("1-intake")
    page.click("#intake-form button[type=submit]")
    page.wait_for_selector("#request-code")
    code = page.inner_text("#request-code").strip()
    assert len(code) == 8
    assert "Phường Phúc Xá" in page.inner_text("#request-routed")
    assert Request.objects.get(code=code).ward == phuc_xa
    shot("2-code")

    # 2. The ward officer of Phúc Xá: the call heads her queue with the time left; she answers it.
    log_in("chi.phucxa")
    page.goto(f"{live_server.url}/tong-dai/")
    first_row = page.locator("#request-queue tbody tr").first
    assert first_row.get_attribute("data-code") == code
    assert "còn 23 giờ" in first_row.inner_text()
    shot("3-queue")
    first_row.locator("a").first.click()
    page.wait_for_selector("#action-answer")
    page.fill("#id_answer", "Tổ cộng đồng sẽ mang 10 kg gạo và rau tới trong chiều nay.")
    page.click("#action-answer button[type=submit]")
    page.wait_for_selector("#request-answer")
    assert "trả lời đúng hạn" in page.inner_text("#request-status").lower()
    shot("4-answered")

    # 3. The caller checks the status without an account.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/tong-dai/tra-cuu/")
    page.fill("#id_code", code.lower())
    page.fill("#id_phone_last4", "5678")
    page.click("main button[type=submit]")
    page.wait_for_selector("#request-answer")
    assert "10 kg gạo" in page.inner_text("#request-answer")
    assert "Đã trả lời" in page.inner_text("#request-status")
    assert "Lê Văn Nam" not in page.content()
    shot("5-status")
