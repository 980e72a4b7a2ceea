"""Scoping (404 outside the area), the follow-up list and counts, and the transmission tree with few queries."""

import time
from datetime import date

from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from phongdich.contacts.models import Contact, Setting
from phongdich.contacts.selectors import (
    ContactFilters,
    contact_counts,
    contact_for_user,
    contact_list,
    contacts_visible_to,
)
from phongdich.contacts.tests.base import ContactsTestCase, at
from phongdich.contacts.tracking import contact_check_record, contact_convert_to_case, contact_test_record
from phongdich.contacts.tree import transmission_tree
from phongdich.people.models import Person


class ScopingTests(ContactsTestCase):
    def test_out_of_area_is_not_found(self) -> None:
        contact = self.record()
        for user in self.seeing_ward_a1:
            assert contact_for_user(user, contact.pk) == contact
            assert contacts_visible_to(user).filter(pk=contact.pk).exists()
        for user in self.not_seeing_ward_a1:
            with self.assertRaises(Http404):
                contact_for_user(user, contact.pk)
            assert not contacts_visible_to(user).exists()


class FollowupTests(ContactsTestCase):
    def test_reasons_and_counts(self) -> None:
        quiet = self.record(name="Yên Ổn", phone="0900000001")
        sick = self.record(name="Có Ho", phone="0900000002")
        day7 = at(date(2022, 3, 7))
        contact_check_record(
            actor=self.team_member_a1, contact=sick, checked_on=date(2022, 3, 7), symptoms={"fever", "cough"}, now=day7
        )
        today = date(2022, 3, 7)

        def listed(reason: str) -> set[int]:
            rows = contact_list(user=self.ward_officer_a1, filters=ContactFilters(reason=reason), today=today)
            return {row.pk for row in rows}

        assert listed("quarantine") == listed("test_due") == listed("ending") == {quiet.pk, sick.pk}
        assert listed("symptoms") == {sick.pk}
        assert listed("positive") == set()
        counts = contact_counts(user=self.district_officer_a, today=today)
        assert (counts["open"], counts["symptoms"], counts["test_due"], counts["quarantine"]) == (2, 1, 2, 2)
        assert contact_counts(user=self.ward_officer_b1, today=today)["open"] == 0
        assert listed("test_due") and not {
            row.pk
            for row in contact_list(
                user=self.ward_officer_a1, filters=ContactFilters(reason="test_due"), today=date(2022, 3, 6)
            )
        }

    def test_the_default_list_is_the_open_ones_and_history_is_a_status_away(self) -> None:
        open_contact = self.record(name="Đang Theo Dõi", phone="0900000003")
        done = self.record(name="Đã Xong", phone="0900000004")
        Contact.objects.filter(pk=done.pk).update(status="released")
        today = date(2022, 3, 7)

        def listed(**filters: str) -> set[int]:
            rows = contact_list(user=self.ward_officer_a1, filters=ContactFilters(**filters), today=today)
            return {row.pk for row in rows}

        assert listed() == {open_contact.pk}
        assert listed(status="released") == {done.pk}
        assert contact_counts(user=self.ward_officer_a1, today=today)["open"] == 1


class TreeTests(ContactsTestCase):
    def test_chain_f0_f1_f0_f1(self) -> None:
        f1 = self.record(name="Con Một", phone="0900000001")
        self.record(name="Con Hai", phone="0900000002", setting=Setting.WORKPLACE)
        contact_test_record(
            actor=self.ward_officer_a1, contact=f1, tested_on=date(2022, 3, 3), kind="rt_pcr", positive=True,
            now=self.now,
        )  # fmt: skip
        second_f0 = contact_convert_to_case(actor=self.ward_officer_a1, contact=f1, expected_version=2, now=self.now)
        grandchild = self.record(
            source_case=second_f0, name="Cháu", phone="0900000003", contacted_on=date(2022, 3, 3), ward=self.ward_a2,
            actor=self.district_officer_a,
        )  # fmt: skip
        f2 = self.record(source_contact=grandchild, name="F Hai", phone="0900000004", contacted_on=date(2022, 3, 3),
                         actor=self.district_officer_a, ward=self.ward_a2)  # fmt: skip
        for case in (self.source, second_f0):  # from either F0, the whole chain from its first F0
            with CaptureQueriesContext(connection) as queries:
                tree = transmission_tree(user=self.district_officer_a, case=case.pk)
            assert len(queries) <= 12, len(queries)
            keys = {node.key: node for node in tree.nodes}
            assert set(keys) == {f"c{self.source.pk}", f"c{second_f0.pk}", f"k{grandchild.pk}", f"k{f2.pk}"} | {
                key for key in keys if key.startswith("k") and keys[key].label == "Con Hai"
            }
            edges = {(edge.source, edge.target) for edge in tree.edges}
            assert (f"c{self.source.pk}", f"c{second_f0.pk}") in edges
            assert (f"c{second_f0.pk}", f"k{grandchild.pk}") in edges
            assert (f"k{grandchild.pk}", f"k{f2.pk}") in edges
            assert [
                keys[k].depth for k in (f"c{self.source.pk}", f"c{second_f0.pk}", f"k{grandchild.pk}", f"k{f2.pk}")
            ] == [0, 1, 2, 3]
            assert keys[f"k{f2.pk}"].kind == "f2" and keys[f"c{second_f0.pk}"].code == second_f0.code
            assert tree.width > 0 and all(edge.path for edge in tree.edges)
        # A ward officer of Phúc Xá sees the chain but not who the Trúc Bạch contacts are.
        tree = transmission_tree(user=self.ward_officer_a1, case=self.source.pk)
        hidden = {node.key: node for node in tree.nodes}[f"k{grandchild.pk}"]
        assert (hidden.visible, hidden.label, hidden.url) == (False, "Ngoài địa bàn", "")
        with self.assertRaises(Http404):
            transmission_tree(user=self.ward_officer_b1, case=self.source.pk)

    def test_household_cluster(self) -> None:
        members = [self.record(name=f"Thành viên {n}", phone=f"09000001{n:02d}") for n in range(5)]
        cluster_id = members[0].cluster_id
        tree = transmission_tree(user=self.ward_officer_a1, cluster=cluster_id)
        assert tree.counts == {"f0": 1, "f1": 5, "f2": 0}
        assert len(tree.edges) == 5
        assert len({node.y for node in tree.nodes if node.kind == "f1"}) == 5
        with self.assertRaises(Http404):
            transmission_tree(user=self.ward_officer_a2, cluster=cluster_id)


class LargeClusterTests(ContactsTestCase):
    def test_a_500_person_cluster_in_a_few_queries(self) -> None:
        first = self.record(name="Người Đầu", phone="0900000000")
        persons = Person.objects.bulk_create(
            Person(full_name=f"Công nhân {n}", name_search=f"cong nhan {n}", ward=self.ward_a1) for n in range(499)
        )
        template = {f: getattr(first, f) for f in ("ward_id", "source_case_id", "setting", "kind", "contacted_on",
                                                  "quarantine_rule_set", "quarantine_until", "monitor_until", "test_days",
                                                  "status", "cluster_id", "created_by_id")}  # fmt: skip
        Contact.objects.bulk_create(Contact(person=person, **template) for person in persons)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            tree = transmission_tree(user=self.city_admin, cluster=first.cluster_id)
            elapsed = time.perf_counter() - started
        assert tree.counts == {"f0": 1, "f1": 500, "f2": 0}
        assert len(queries) <= 6, [q["sql"] for q in queries]
        assert elapsed < 1.0, elapsed  # ≈ 40–60 ms on a laptop; the bound only catches a per-node query
