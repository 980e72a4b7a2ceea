"""Print the demo logins, one per role."""

from typing import Any

from django.core.management.base import BaseCommand

from phongdich.cases.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "In tài khoản mẫu cho từng vai trò."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, role, _code, _name in DEMO_USERS:
            self.stdout.write(f"  {role.label:<32} {username}")
