from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phongdich.accounts.models import User
from phongdich.audit.models import AuditLog, Event
from phongdich.audit.services import audit_record
from phongdich.testing import PhongdichTestCase

LIST = reverse("audit:list")


class AuditListViewTests(PhongdichTestCase):
    def test_permission_matrix(self) -> None:
        self.assert_allowed(LIST, [self.steering, self.city_admin, self.district_officer_a, self.district_officer_b])
        for user in (self.leader, self.hotline, self.ward_officer_a1, self.team_member_a1, self.doctor_a1):
            assert self.client_for(user).get(LIST).status_code == 403, user.username

    def test_shows_changes_as_old_to_new(self) -> None:
        audit_record(
            actor=self.city_admin, event=Event.UPDATE, target_type="area", target_id=self.ward_a1.pk, area=self.ward_a1,
            changes={"population": [None, 37853], "conditions": [["a"], ["a", "b"]]},
        )  # fmt: skip
        audit_record(
            actor=self.city_admin, event=Event.CREATE, target_type="person", target_id=9, area=self.ward_a1,
            changes={"full_name": "Nguyễn Văn An", "conditions": ["hen", "tieu-duong"]},
        )  # fmt: skip
        response = self.client_for(self.district_officer_a).get(LIST)
        self.assertContains(response, "population: — → 37853")
        self.assertContains(response, "conditions: a → a, b")
        self.assertContains(response, "full_name: Nguyễn Văn An")
        # A created list is a value, not an old → new pair.
        self.assertContains(response, "conditions: hen, tieu-duong")

    def test_scoped_and_filtered(self) -> None:
        audit_record(actor=self.ward_officer_a1, event=Event.CREATE, target_type="case", target_id=1, area=self.ward_a1)
        audit_record(actor=self.ward_officer_b1, event=Event.CREATE, target_type="case", target_id=2, area=self.ward_b1)
        audit_record(actor=None, event=Event.IMPORT, target_type="import_job", target_id=3, area=None)
        page = self.client_for(self.district_officer_a).get(LIST).context["page"]
        assert [e.target_id for e in page] == [1]
        page = self.client_for(self.steering).get(LIST).context["page"]
        assert [e.target_id for e in page] == [3, 2, 1]
        page = self.client_for(self.steering).get(LIST, {"actor": "ward_b1", "target_type": "case"}).context["page"]
        assert [e.target_id for e in page] == [2]
        page = self.client_for(self.steering).get(LIST, {"event": Event.IMPORT}).context["page"]
        assert [e.target_id for e in page] == [3]

    def test_invalid_filter_is_reported_and_the_others_apply(self) -> None:
        audit_record(actor=self.ward_officer_a1, event=Event.CREATE, target_type="case", target_id=1, area=self.ward_a1)
        audit_record(
            actor=self.ward_officer_a1, event=Event.CREATE, target_type="person", target_id=2, area=self.ward_a1
        )
        response = self.client_for(self.steering).get(LIST, {"date_from": "31/02/2022", "target_type": "person"})
        assert response.status_code == 200
        assert response.context["form"].errors["date_from"]
        assert [e.target_id for e in response.context["page"]] == [2]

    def test_paginated_by_50_in_constant_queries(self) -> None:
        AuditLog.objects.bulk_create(
            AuditLog(actor=self.city_admin, event=Event.UPDATE, target_type="area", target_id=i, area=self.ward_a1,
                     changes={"population": [i, i + 1]})
            for i in range(60)
        )  # fmt: skip
        client = self.client_for(self.steering)
        first = client.get(LIST)
        assert len(first.context["page"].object_list) == 50
        second = client.get(LIST, {"target_type": "area", "page": 2})
        assert len(second.context["page"].object_list) == 10
        self.assertContains(second, "target_type=area&amp;page=1")
        with CaptureQueriesContext(connection) as queries:
            client.get(LIST)
        assert len(queries) <= 9


class AuditAdminTests(PhongdichTestCase):
    def test_read_only(self) -> None:
        admin = User.objects.create_superuser("quantri", password="x", area=self.province)
        log = audit_record(
            actor=self.city_admin, event=Event.UPDATE, target_type="area", target_id=1, area=self.ward_a1
        )
        client = self.client_for(admin)
        assert client.get(reverse("admin:audit_auditlog_changelist")).status_code == 200
        assert client.get(reverse("admin:audit_auditlog_change", args=[log.pk])).status_code == 200
        assert client.get(reverse("admin:audit_auditlog_add")).status_code == 403
        assert client.post(reverse("admin:audit_auditlog_delete", args=[log.pk]), {"post": "yes"}).status_code == 403
        response = client.post(reverse("admin:audit_auditlog_change", args=[log.pk]), {"target_type": "x"})
        assert response.status_code == 403
        log.refresh_from_db()
        assert log.target_type == "area"
