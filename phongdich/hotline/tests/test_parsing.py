import io
from datetime import datetime

import pytest
import xlsxwriter

from phongdich.hotline.parsing import ParseError, guess_category, parse_rows, parse_text, parse_upload, phone_in_text
from phongdich.hotline.tests.base import HANOI, T0, HotlineTestCase

ZALO = """[20/01/2022 09:15] Nguyễn Văn A: Nhà em ở phường Phúc Xá, bố em SpO2 còn 94, khó thở. SĐT 0912.345.678
[20/01/2022 09:20] Trần Thị B: Xin hỏi chỗ nhận túi thuốc
cho F0 ở P. Trúc Bạch ạ, gọi em 0987654321
[09:30 20/01/2022] Lê C: Nhà em hết gạo rồi, phường Phúc Tân quận Hoàn Kiếm
"""


def xlsx(rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    moment = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, moment)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


class TextShapeTests(HotlineTestCase):
    def test_zalo_shapes_with_continuation_lines(self) -> None:
        result = parse_text(ZALO, channel="zalo", now=T0)
        assert result.issues == []
        a, b, c = result.messages
        assert (a.line, a.sender, a.sent_at) == (1, "Nguyễn Văn A", datetime(2022, 1, 20, 9, 15, tzinfo=HANOI))
        assert (a.phone, a.ward_id, a.category_code) == ("0912345678", self.ward_a1.pk, "emergency")
        assert b.text == "Xin hỏi chỗ nhận túi thuốc\ncho F0 ở P. Trúc Bạch ạ, gọi em 0987654321"
        assert (b.phone, b.ward_id, b.category_code) == ("0987654321", self.ward_a2.pk, "medicines")
        assert (c.line, c.sent_at.minute, c.ward_id, c.category_code, c.phone) == (4, 30, self.ward_b1.pk, "food", "")
        assert len({a.external_ref, b.external_ref, c.external_ref}) == 3

    def test_facebook_shapes(self) -> None:
        text = "Nguyễn Văn A, 09:15 20/01/2022: Xin giấy xác nhận khỏi bệnh để làm BHXH\nPhạm D, 21/01/2022 10:00: Hỏi chút"
        result = parse_text(text, channel="facebook", now=T0)
        assert [(m.sender, m.sent_at.day, m.category_code) for m in result.messages] == [
            ("Nguyễn Văn A", 20, "paperwork"),
            ("Phạm D", 21, "other"),
        ]

    def test_unreadable_lines_are_reported_by_number(self) -> None:
        text = "Tin nhắn đầu không có tên\n[32/01/2022 09:15] A: ngày sai\n   tiếp của tin sai\n[20/01/2022 9h15] B: giờ sai\n[20/01/2022 10:00] C: \n[20/01/2022 10:05] D: được"
        result = parse_text(text, channel="zalo", now=T0)
        assert [m.sender for m in result.messages] == ["D"]
        lines = dict(result.issues)
        assert sorted(lines) == [1, 2, 4, 5]
        assert "Không nhận ra tin nhắn" in lines[1]
        assert "32/01/2022 09:15" in lines[2] and "không hợp lệ" in lines[2]
        assert "Không đọc được ngày giờ" in lines[4]
        assert "không có nội dung" in lines[5]

    def test_future_messages_are_refused(self) -> None:
        result = parse_text("[25/02/2022 09:15] A: cần gạo", channel="zalo", now=T0)
        assert result.messages == [] and "tương lai" in result.issues[0][1]

    def test_same_message_same_ref_other_channel_other_ref(self) -> None:
        line = "[20/01/2022 09:15] A: cần gạo"
        assert parse_text(line, channel="zalo", now=T0).messages[0].external_ref == (
            parse_text(line + "  ", channel="zalo", now=T0).messages[0].external_ref
        )
        assert parse_text(line, channel="facebook", now=T0).messages[0].external_ref != (
            parse_text(line, channel="zalo", now=T0).messages[0].external_ref
        )


class SheetTests(HotlineTestCase):
    def test_csv_with_vietnamese_headers(self) -> None:
        raw = "Thời gian;Người gửi;SĐT;Nội dung\n20/01/2022 09:15;Nguyễn Văn A;912345678;Cần gạo ở phường Phúc Xá\n;B;;x\n20/01/2022 09:20;C;0123;thuốc\n".encode()
        result = parse_upload(name="zalo.csv", raw=raw, channel="zalo", now=T0)
        assert [(m.line, m.phone, m.ward_id, m.category_code) for m in result.messages] == [
            (2, "0912345678", self.ward_a1.pk, "food")
        ]
        lines = dict(result.issues)
        assert "Thời gian" in lines[3] and "không hợp lệ" in lines[4]

    def test_xlsx_with_english_headers_and_real_dates(self) -> None:
        rows = [["Export"], ["time", "sender", "phone", "message", "address"],
                [datetime(2022, 1, 20, 9, 15), "A", 987654321, "Xin tư vấn, con sốt cao", "5 Hàng Bún, Trúc Bạch"]]  # fmt: skip
        result = parse_upload(name="fb.xlsx", raw=xlsx(rows), channel="facebook", now=T0)
        (message,) = result.messages
        assert (message.line, message.phone, message.ward_id, message.category_code, message.sent_at.hour) == (
            3,
            "0987654321",
            self.ward_a2.pk,
            "medical_advice",
            9,
        )

    def test_sheet_without_header_and_bad_files(self) -> None:
        with pytest.raises(ParseError):
            parse_rows([["a", "b"], ["c", "d"]], channel="zalo", now=T0)
        with pytest.raises(ParseError):
            parse_upload(name="x.pdf", raw=b"%PDF", channel="zalo", now=T0)
        with pytest.raises(ParseError):
            parse_upload(name="x.xlsx", raw=b"not a workbook", channel="zalo", now=T0)
        with pytest.raises(ParseError):
            parse_upload(name="x.txt", raw=b"", channel="zalo", now=T0)


class DetailTests(HotlineTestCase):
    def test_category_keywords_whole_words(self) -> None:
        assert guess_category("Bố em khó thở, SpO2 92") == "emergency"
        assert guess_category("Cho em hỏi về thuốc") == "medicines"
        assert guess_category("Nhà em cần gạo") == "food"
        assert guess_category("Cho nhà em hỏi chút việc") == "other"  # "cho", "nhà" do not contain the word "ho"
        assert guess_category("Con em bị ho") == "medical_advice"
        assert guess_category("Xin giấy xác nhận BHXH") == "paperwork"
        assert guess_category("Việc này thuộc phường nào?") == "other"  # "thuộc" is not "thuốc"
        assert guess_category("nha em can thuoc ha sot") == "medicines"  # typed without diacritics
        assert guess_category("bo em kho tho") == "emergency"

    def test_phone_in_text(self) -> None:
        assert phone_in_text("gọi em số +84 912 345 678 nhé") == "0912345678"
        assert phone_in_text("nhà số 12, ngõ 345") == ""
