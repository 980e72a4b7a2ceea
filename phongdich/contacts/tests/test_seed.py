"""seed_contacts: F1, F2, checks, tests and one F1 → F0 for the demo wave in Phúc Xá, through the services; twice is once."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from phongdich.accounts.roles import Role
from phongdich.accounts.services import user_create
from phongdich.cases.models import Case, Source
from phongdich.contacts.models import Cluster, Contact, ContactStatus
from phongdich.testing import PASSWORD, PhongdichTestCase


class SeedTests(PhongdichTestCase):
    def test_seed_twice(self) -> None:
        out = StringIO()
        call_command("seed_contacts", stdout=out)
        assert "Chưa có F0 mẫu" in out.getvalue()
        user_create(
            username="phuong.phucxa", password=PASSWORD, role=Role.WARD_OFFICER, area=self.ward_a1, full_name="x"
        )
        user_create(username="to.phucxa", password=PASSWORD, role=Role.TEAM_MEMBER, area=self.ward_a1, full_name="y")
        today = timezone.localdate()
        for n in range(2):
            self.create_case(
                person=self.create_person(full_name=f"F0 {n}", address=f"Số {n + 1} Phúc Xá"),
                confirmed_on=today - timedelta(days=3 - n),
            )  # fmt: skip
        call_command("seed_contacts", stdout=out)
        # Per F0: three household F1 and one at work; two F2 of the first F0's household.
        assert (Contact.objects.filter(generation=1).count(), Contact.objects.filter(generation=2).count()) == (8, 2)
        converted = Contact.objects.get(status=ContactStatus.CONVERTED)
        assert Case.objects.get(pk=converted.converted_case_id).source == Source.F1
        household = Cluster.objects.get(pk=converted.cluster_id)
        assert household.cases.count() == 2
        call_command("seed_contacts", stdout=out)
        assert "đã có" in out.getvalue()
        assert Contact.objects.count() == 10
