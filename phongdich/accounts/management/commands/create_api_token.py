"""Create an API token for a user and print its key, once: only its SHA-256 is kept."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Tạo khoá API cho một tài khoản; khoá chỉ được in ra một lần."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="tên đăng nhập")
        parser.add_argument("--name", required=True, help="tên khoá, ví dụ hệ thống sẽ dùng nó")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("Không có tài khoản “%(username)s”.") % {"username": options["user"]})
        if not user.is_active:
            raise CommandError(_("Tài khoản “%(username)s” đã bị khoá.") % {"username": user.username})
        name = options["name"].strip()
        if not name:
            raise CommandError(_("Tên khoá không được để trống."))
        key = api_token_create(user=user, name=name[:100])
        self.stdout.write(key)
        self.stderr.write(
            _("Khoá “%(name)s” cho %(username)s: hãy lưu lại ngay, khoá sẽ không hiện lại.")
            % {"name": name, "username": user.username}
        )
