"""Escalate to the district the requests still unanswered at or after their due time (run it every minute)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from phongdich.hotline.services import requests_escalate


class Command(BaseCommand):
    help = "Chuyển lên quận/huyện các yêu cầu của người dân đã quá hạn trả lời."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        count = requests_escalate()
        if options["json"]:
            self.stdout.write(json.dumps({"escalated": count}))
        else:
            self.stdout.write(_("Đã chuyển %(count)s yêu cầu quá hạn lên quận/huyện.") % {"count": count})
