"""Pages: who may see and act (permission matrix, 404 outside the area), pages render, forms record."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from phongdich.contacts.models import Contact, ContactStatus
from phongdich.contacts.tests.base import ContactsTestCase
from phongdich.people.models import Person


class PageTests(ContactsTestCase):
    def setUp(self) -> None:
        today = timezone.localdate()
        self.source = self.create_case(
            person=self.create_person(full_name="Trần Văn Nguồn", address="Số 3 Phúc Xá"), confirmed_on=today
        )
        self.contact = self.record(contacted_on=today, now=timezone.now())
        self.urls = [
            reverse("contacts:list"), reverse("contacts:case", args=[self.source.pk]),
            reverse("contacts:detail", args=[self.contact.pk]), reverse("contacts:clusters"),
            reverse("contacts:cluster", args=[self.contact.cluster_id]),
            f"{reverse('contacts:tree')}?case={self.source.pk}", f"{reverse('contacts:tree')}?cluster={self.contact.cluster_id}",
        ]  # fmt: skip

    def test_matrix(self) -> None:
        for url in self.urls:
            self.assert_login_required(url)
            self.assert_allowed(url, self.seeing_ward_a1)
        for url in self.urls[1:3] + self.urls[4:]:
            self.assert_not_found(url, self.not_seeing_ward_a1)
        f2 = reverse("contacts:add_f2", args=[self.contact.pk])
        self.assert_allowed(f2, [self.ward_officer_a1, self.team_member_a1])
        self.assert_status(f2, [self.doctor_a1, self.leader, self.hotline], 403)
        self.assert_not_found(f2, [self.ward_officer_a2])

    def test_pages_show_the_plan_and_the_tree(self) -> None:
        page = self.client_for(self.ward_officer_a1).get(reverse("contacts:detail", args=[self.contact.pk]))
        self.assertContains(page, "CV 1909/BYT-DP (15/04/2022)")
        self.assertContains(page, "Ghi kiểm tra hằng ngày")
        reader = self.client_for(self.leader).get(reverse("contacts:detail", args=[self.contact.pk]))
        self.assertNotContains(reader, "Ghi kiểm tra hằng ngày")
        tree = self.client_for(self.ward_officer_a1).get(f"{reverse('contacts:tree')}?case={self.source.pk}")
        self.assertContains(tree, "<svg")
        self.assertContains(tree, self.contact.person.full_name)
        assert self.client_for(self.ward_officer_a1).get(reverse("contacts:tree")).status_code == 404

    def test_tree_svg_escapes_names(self) -> None:
        Person.objects.filter(pk=self.contact.person_id).update(full_name="Lê <b>Đậm</b> & Cộng")
        tree = self.client_for(self.ward_officer_a1).get(f"{reverse('contacts:tree')}?case={self.source.pk}")
        self.assertContains(tree, "Lê &lt;b&gt;Đậm&lt;/b&gt; &amp; Cộng")
        self.assertNotContains(tree, "<b>Đậm</b>")

    def test_record_f1_from_the_f0_page(self) -> None:
        url = reverse("contacts:case", args=[self.source.pk])
        data = {
            "full_name": "Vũ Văn Mới", "birth": "1985", "sex": "M", "phone": "0911222333", "address": "Số 3 Phúc Xá",
            "ward": self.ward_a1.pk, "contacted_on": timezone.localdate().strftime("%d/%m/%Y"), "setting": "household",
            "kind": "physical", "doses": "", "last_dose_on": "",
        }  # fmt: skip
        response = self.client_for(self.team_member_a1).post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        contact = Contact.objects.get(person__full_name="Vũ Văn Mới")
        assert (contact.source_case, contact.status, contact.cluster_id) == (
            self.source, ContactStatus.MONITORING, self.contact.cluster_id,
        )  # fmt: skip
        future = {
            **data,
            "full_name": "Ngày Sai",
            "contacted_on": (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y"),
        }
        response = self.client_for(self.team_member_a1).post(url, future)
        self.assertContains(response, "sau hôm nay")
        assert self.client_for(self.doctor_a1).post(url, data).status_code == 403

    def test_actions(self) -> None:
        client = self.client_for(self.ward_officer_a1)
        today = timezone.localdate().strftime("%d/%m/%Y")
        detail = reverse("contacts:detail", args=[self.contact.pk])
        response = client.post(
            reverse("contacts:check", args=[self.contact.pk]), {"checked_on": today, "symptoms": ["fever", "cough"]}
        )
        assert response.status_code == 302
        response = client.post(
            reverse("contacts:test", args=[self.contact.pk]),
            {"tested_on": today, "kind": "rapid_antigen", "positive": "1"},
        )
        assert response.status_code == 302
        self.contact.refresh_from_db()
        assert self.contact.positive_on == timezone.localdate() and self.contact.needs_test is False
        self.assertContains(client.get(detail), "Chuyển thành F0")
        response = client.post(reverse("contacts:convert", args=[self.contact.pk]), {"version": self.contact.version})
        self.contact.refresh_from_db()
        assert response.status_code == 302 and response["Location"] == reverse(
            "cases:detail", args=[self.contact.converted_case_id]
        )
        assert (
            self.client_for(self.leader).post(reverse("contacts:check", args=[self.contact.pk]), {}).status_code == 403
        )

    def test_cluster_create(self) -> None:
        response = self.client_for(self.ward_officer_a1).post(
            reverse("contacts:clusters"), {"name": "Trường tiểu học", "kind": "school", "ward": self.ward_a1.pk}
        )
        assert response.status_code == 302
        assert self.client_for(self.leader).post(reverse("contacts:clusters"), {"name": "x"}).status_code == 403


class QueryCountTests(ContactsTestCase):
    def test_list_and_case_pages_do_not_query_per_row(self) -> None:
        client = self.client_for(self.district_officer_a)

        def queries(url: str) -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        urls = (reverse("contacts:list"), reverse("contacts:case", args=[self.source.pk]))
        self.record(name="Một", phone="0900000001")
        before = [queries(url) for url in urls]
        for n in range(2, 8):
            self.record(name=f"Người {n}", phone=f"090000000{n}", setting="workplace")
        assert [queries(url) for url in urls] == before
