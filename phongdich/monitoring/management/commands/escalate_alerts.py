"""Escalate emergency alerts left unhandled longer than PHONGDICH_ALERT_ESCALATE_MINUTES (run it every minute)."""

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from phongdich.monitoring.services import alerts_escalate


class Command(BaseCommand):
    help = "Chuyển lên quận/huyện các cảnh báo cấp cứu chưa được xử lý sau số phút cấu hình."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        count = alerts_escalate()
        if options["json"]:
            self.stdout.write(json.dumps({"escalated": count}))
        else:
            self.stdout.write(
                _("Đã chuyển %(count)s cảnh báo cấp cứu lên quận/huyện (chưa xử lý sau %(minutes)s phút).")
                % {"count": count, "minutes": settings.PHONGDICH_ALERT_ESCALATE_MINUTES}
            )
