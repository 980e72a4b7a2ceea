"""The transmission tree: who infected or exposed whom, from an F0 (its whole chain) or from a cluster.

Nodes are F0 (cases) and F1/F2 (contacts); an F1 who became F0 is drawn as that F0, reached by the edge of the
contact. Rows are fetched a generation at a time by source ids (a few queries, never one per node), as plain
values. Nodes followed outside the user's area stay in the chain without any personal detail.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.areas.models import Level
from phongdich.areas.scoping import ward_ids
from phongdich.cases.models import Case
from phongdich.cases.models import Status as CaseStatus
from phongdich.cases.selectors import case_for_user
from phongdich.contacts.models import Contact, ContactStatus, Setting
from phongdich.contacts.selectors import cluster_for_user
from phongdich.contacts.tree_layout import tree_layout

MAX_GENERATIONS = 30  # a guard against a cycle in bad data; real chains in one wave are far shorter
_CONTACT_FIELDS = (
    "id", "person__full_name", "ward_id", "source_case_id", "source_contact_id", "generation", "status",
    "contacted_on", "setting", "converted_case_id",
)  # fmt: skip
_CASE_FIELDS = ("id", "code", "person__full_name", "ward_id", "confirmed_on", "status")


@dataclass
class Node:
    key: str  # "c12" for an F0, "k34" for a contact
    kind: str  # "f0", "f1", "f2"
    label: str  # name (and code), or "Ngoài địa bàn"
    day: date  # positive date of an F0, contact date of an F1/F2
    status: str
    status_label: str
    visible: bool
    url: str = ""
    code: str = ""
    depth: int = 0
    x: int = 0
    y: int = 0


@dataclass
class Edge:
    source: str
    target: str
    contacted_on: date
    setting: str
    setting_label: str
    path: str = ""
    label_x: int = 0
    label_y: int = 0

    @property
    def day_label(self) -> str:
        return f"{self.contacted_on:%d/%m/%Y}"


@dataclass
class Tree:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    width: int = 0
    height: int = 0

    @property
    def counts(self) -> dict[str, int]:
        out = {"f0": 0, "f1": 0, "f2": 0}
        for node in self.nodes:
            out[node.kind] += 1
        return out


def transmission_tree(*, user: User, case: int | None = None, cluster: int | None = None) -> Tree:
    """The tree around F0 `case` (from the first F0 of its chain down) or cluster `cluster` (its members, their
    sources and the F0 they became); 404 when the F0 or cluster lies outside the user's area."""
    if (case is None) == (cluster is None):
        raise ValueError("Give exactly one of case, cluster")
    if case is not None:
        contacts, cases = _chain_of_case(case_for_user(user, case).pk)
    else:
        contacts, cases = _cluster_rows(cluster_for_user(user, cluster).pk)  # type: ignore[arg-type]
    tree = _build(contacts=contacts, cases=cases, wards=_user_wards(user))
    tree_layout(tree)
    return tree


def _user_wards(user: User) -> set[int]:
    if user.area is None:
        return set()
    if user.area.level == Level.WARD:
        return {user.area.pk}
    return set(ward_ids(user.area).values_list("pk", flat=True))


def _cases(ids: Iterable[int]) -> dict[int, dict]:
    ids = set(ids)
    if not ids:
        return {}
    return {row["id"]: row for row in Case.objects.filter(pk__in=ids).values(*_CASE_FIELDS)}


def _chain_of_case(case_id: int) -> tuple[dict[int, dict], dict[int, dict]]:
    # Up: the contact this F0 came from, then that contact's source, to the first F0 of the chain.
    root, seen_up = case_id, {case_id}
    for _step in range(MAX_GENERATIONS):
        origin = (
            Contact.objects.filter(converted_case_id=root)
            .order_by("contacted_on", "id")
            .values("source_case_id", "source_contact__source_case_id")
            .first()
        )
        parent = origin and (origin["source_case_id"] or origin["source_contact__source_case_id"])
        if not parent or parent in seen_up:
            break
        root = parent
        seen_up.add(parent)
    # Down: a generation at a time, F1 of the frontier's F0, their F2, and the F0 they became.
    contacts: dict[int, dict] = {}
    case_ids, frontier = {root}, {root}
    for _step in range(MAX_GENERATIONS):
        if not frontier:
            break
        level = {row["id"]: row for row in Contact.objects.filter(source_case_id__in=frontier).values(*_CONTACT_FIELDS)}
        if level:
            f2 = Contact.objects.filter(source_contact_id__in=list(level)).values(*_CONTACT_FIELDS)
            level.update({row["id"]: row for row in f2})
        contacts.update(level)
        became = {row["converted_case_id"] for row in level.values() if row["converted_case_id"]}
        frontier = became - case_ids
        case_ids |= became
    return contacts, _cases(case_ids)


def _cluster_rows(cluster_id: int) -> tuple[dict[int, dict], dict[int, dict]]:
    contacts = {row["id"]: row for row in Contact.objects.filter(cluster_id=cluster_id).values(*_CONTACT_FIELDS)}
    missing_sources = {row["source_contact_id"] for row in contacts.values() if row["source_contact_id"]} - set(
        contacts
    )
    if missing_sources:
        contacts.update(
            {row["id"]: row for row in Contact.objects.filter(pk__in=missing_sources).values(*_CONTACT_FIELDS)}
        )
    case_ids = set(Case.objects.filter(clusters=cluster_id).values_list("pk", flat=True))  # the cluster's own F0
    for row in contacts.values():
        case_ids.update(filter(None, (row["source_case_id"], row["converted_case_id"])))
    return contacts, _cases(case_ids)


_CASE_STATUS = dict(CaseStatus.choices)
_CONTACT_STATUS = dict(ContactStatus.choices)
_SETTING = dict(Setting.choices)


def _build(*, contacts: dict[int, dict], cases: dict[int, dict], wards: set[int]) -> Tree:
    tree = Tree()
    outside = _("Ngoài địa bàn")
    for row in sorted(cases.values(), key=lambda r: (r["confirmed_on"], r["id"])):
        visible = row["ward_id"] in wards
        node = Node(
            key=f"c{row['id']}", kind="f0", day=row["confirmed_on"], status=row["status"],
            status_label=str(_CASE_STATUS.get(row["status"], row["status"])), visible=visible,
            label=row["person__full_name"] if visible else outside, code=row["code"] if visible else "",
            url=reverse("contacts:case", args=[row["id"]]) if visible else "",
        )  # fmt: skip
        tree.nodes.append(node)

    def key_of(contact_id: int) -> str | None:
        row = contacts.get(contact_id)
        if row is None:
            return None
        if row["converted_case_id"] in cases:
            return f"c{row['converted_case_id']}"
        return f"k{contact_id}"

    for row in sorted(contacts.values(), key=lambda r: (r["contacted_on"], r["id"])):
        if row["source_case_id"]:
            source = f"c{row['source_case_id']}" if row["source_case_id"] in cases else None
        else:
            source = key_of(row["source_contact_id"])
        target = key_of(row["id"])
        if target == f"k{row['id']}":
            visible = row["ward_id"] in wards
            node = Node(
                key=target, kind=f"f{row['generation']}", day=row["contacted_on"], status=row["status"],
                status_label=str(_CONTACT_STATUS.get(row["status"], row["status"])), visible=visible,
                label=row["person__full_name"] if visible else outside,
                url=reverse("contacts:detail", args=[row["id"]]) if visible else "",
            )  # fmt: skip
            tree.nodes.append(node)
        if source is not None and target is not None and source != target:
            tree.edges.append(
                Edge(
                    source=source,
                    target=target,
                    contacted_on=row["contacted_on"],
                    setting=row["setting"],
                    setting_label=str(_SETTING.get(row["setting"], row["setting"])),
                )
            )
    return tree
