import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phongdich.audit.models import AuditLog, Event
from phongdich.hotline.models import Channel, Request
from phongdich.hotline.tests.base import HotlineTestCase
from phongdich.hotline.tests.test_parsing import xlsx

IMPORT = reverse("hotline:import")
EXPORT = """[20/01/2022 09:15] Nguyễn Văn A: Bố em SpO2 còn 94, khó thở, phường Phúc Xá. SĐT 0912345678
[20/01/2022 09:20] Trần Thị B: Nhà em hết gạo, gọi em 0987654321
dòng này thuộc tin nhắn trên
[20/01/2022 09:25] Lê C: Cần giấy xác nhận, không để lại số
[99/01/2022 09:30] D: ngày sai
"""


class ImportFlowTests(HotlineTestCase):
    def preview(self, client, **data):  # type: ignore[no-untyped-def]
        values = {"channel": Channel.ZALO, "default_ward": self.ward_a2.pk, "text": EXPORT, **data}
        return client.post(IMPORT, values)

    def confirm(self, client, response, **overrides):  # type: ignore[no-untyped-def]
        html = response.content.decode()
        payload = re.search(r'name="payload" value="([^"]+)"', html).group(1)
        data = {"step": "create", "payload": payload}
        for line in re.findall(r'name="include_(\d+)"', html):
            data[f"include_{line}"] = "1"
            selected = re.search(rf'name="category_{line}">.*?<option value="(\d+)" selected', html, re.S)
            data[f"category_{line}"] = selected.group(1)
        data.update(overrides)
        return client.post(IMPORT, data)

    def test_preview_create_and_reimport_never_duplicates(self) -> None:
        client = self.client_for(self.ward_officer_a1)
        preview = self.preview(client, default_ward=self.ward_a1.pk)
        html = preview.content.decode()
        assert "Tạo 3 yêu cầu" in html and "Dòng 5:" in html and "không hợp lệ" in html
        done = self.confirm(client, preview, **{f"category_{4}": str(self.category("paperwork").pk)})
        assert done.status_code == 200
        outcome = done.context["outcome"]
        # Line 4 has neither phone nor address: reported with the reason, the others created.
        assert len(outcome.created) == 2 and outcome.issues == [
            (4, "Cần số điện thoại hoặc địa chỉ để liên hệ lại người gửi.")
        ]
        emergency, food = Request.objects.order_by("created_at")
        assert (emergency.category.code, emergency.caller_phone, emergency.ward, emergency.channel) == (
            "emergency",
            "0912345678",
            self.ward_a1,
            Channel.ZALO,
        )
        assert food.category.code == "food" and food.message.endswith("dòng này thuộc tin nhắn trên")
        assert emergency.created_at.strftime("%d/%m/%Y %H:%M") == "20/01/2022 02:15"  # 09:15 in Hà Nội, UTC stored
        assert AuditLog.objects.filter(event=Event.IMPORT, target_type="request").get().changes["created"] == 2

        again = self.preview(client, default_ward=self.ward_a1.pk)
        assert again.content.decode().count("Đã nhập trước đây") == 2
        outcome = self.confirm(client, again).context["outcome"]
        assert (len(outcome.created), outcome.already) == (0, 0)  # already-imported rows have no checkbox
        assert Request.objects.count() == 2

    def test_the_operator_confirms_or_changes_the_category(self) -> None:
        client = self.client_for(self.hotline)
        preview = self.preview(client)
        self.confirm(client, preview, category_2=str(self.category("social_support").pk), include_4="")
        assert set(Request.objects.values_list("category__code", flat=True)) == {"emergency", "social_support"}

    def test_ward_from_the_text_must_be_in_scope(self) -> None:
        client = self.client_for(self.ward_officer_a2)
        outcome = self.confirm(client, self.preview(client)).context["outcome"]
        lines = dict(outcome.issues)
        assert "ngoài địa bàn" in lines[1]  # Phúc Xá named in the text, the officer is in Trúc Bạch
        assert [r.ward for r in outcome.created] == [self.ward_a2]

    def test_tampered_payload_is_refused(self) -> None:
        client = self.client_for(self.hotline)
        response = client.post(IMPORT, {"step": "create", "payload": "abc"}, follow=True)
        assert "hết hạn hoặc bị sửa" in response.content.decode() and not Request.objects.exists()

    def test_upload_xlsx(self) -> None:
        from datetime import datetime

        rows = [["Thời gian", "Người gửi", "Số điện thoại", "Nội dung"],
                [datetime(2022, 1, 21, 8, 0), "Phạm E", "0977 123 456", "Xin túi thuốc cho F0"]]  # fmt: skip
        client = self.client_for(self.hotline)
        upload = SimpleUploadedFile("nhom-zalo.xlsx", xlsx(rows))
        preview = client.post(IMPORT, {"channel": Channel.FACEBOOK, "default_ward": self.ward_b1.pk, "file": upload})
        assert "Tạo 1 yêu cầu" in preview.content.decode()
        self.confirm(client, preview)
        item = Request.objects.get()
        assert (item.channel, item.ward, item.category.code, item.caller_phone) == (
            Channel.FACEBOOK,
            self.ward_b1,
            "medicines",
            "0977123456",
        )

    def test_nothing_to_import(self) -> None:
        response = self.client_for(self.hotline).post(IMPORT, {"channel": Channel.ZALO, "text": ""})
        assert "Hãy dán tin nhắn hoặc chọn tệp." in response.content.decode()
