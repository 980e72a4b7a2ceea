"""Reads of F1/F2 and clusters, always scoped to the user's area; the ward's follow-up list and its counts."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from phongdich.accounts.models import User
from phongdich.areas.scoping import area_covers_ward, in_area, ward_ids
from phongdich.contacts.models import OPEN_STATUSES, Cluster, Contact, ContactStatus
from phongdich.vntext import fold


def contacts_visible_to(user: User) -> QuerySet[Contact]:
    if user.area is None:
        return Contact.objects.none()
    return Contact.objects.filter(in_area(user.area))


_DETAIL_RELATED = (
    "person__ward", "ward__parent", "source_case__person", "source_contact__person", "source_contact__source_case",
    "converted_case", "cluster", "assigned_to", "created_by",
)  # fmt: skip


def contact_for_user(user: User, contact_id: int) -> Contact:
    """The F1, or 404 when it is followed outside the user's area."""
    contact = Contact.objects.select_related(*_DETAIL_RELATED).filter(pk=contact_id).first()
    if contact is None or user.area is None or not area_covers_ward(user.area, contact.ward):
        raise Http404
    return contact


def _in_wards(user: User, *, district_id: int | None = None, ward_id: int | None = None) -> QuerySet[Contact]:
    """contacts_visible_to(user), narrowed to a district or ward of the area, as a literal list of ward ids."""
    if user.area is None:
        return Contact.objects.none()
    wards = ward_ids(user.area)
    if ward_id:
        wards = wards.filter(pk=ward_id)
    elif district_id:
        wards = wards.filter(parent_id=district_id)
    return Contact.objects.filter(ward_id__in=list(wards.values_list("pk", flat=True)))


# --- the follow-up list ----------------------------------------------------------------------------------

# Why an open F1 needs attention today (a filter each, and a count on the ward's page).
IN_QUARANTINE = "quarantine"
TEST_DUE = "test_due"
SYMPTOMS = "symptoms"
ENDING = "ending"
POSITIVE = "positive"
REASONS = (IN_QUARANTINE, TEST_DUE, SYMPTOMS, ENDING, POSITIVE)


def reason_filter(reason: str, today: date) -> Q:
    return {
        IN_QUARANTINE: Q(status=ContactStatus.QUARANTINE),
        TEST_DUE: Q(next_test_on__lte=today),
        SYMPTOMS: Q(needs_test=True),
        # The last day of quarantine (or, without one, of monitoring) is today or already past.
        ENDING: Q(status=ContactStatus.QUARANTINE, quarantine_until__lte=today)
        | Q(status=ContactStatus.MONITORING, monitor_until__lte=today),
        POSITIVE: Q(positive_on__isnull=False),
    }[reason]


@dataclass(frozen=True)
class ContactFilters:
    status: str = ""
    reason: str = ""  # one of REASONS: the follow-up list
    district_id: int | None = None
    ward_id: int | None = None
    source_case_id: int | None = None
    cluster_id: int | None = None
    generation: int | None = None
    assignee_id: int | None = None
    q: str = ""


def contact_list(*, user: User, filters: ContactFilters, today: date) -> QuerySet[Contact]:
    contacts = _in_wards(user, district_id=filters.district_id, ward_id=filters.ward_id)
    if filters.reason in REASONS:
        contacts = contacts.filter(reason_filter(filters.reason, today), status__in=OPEN_STATUSES)
    if filters.status:
        contacts = contacts.filter(status=filters.status)
    elif not filters.reason:
        contacts = contacts.filter(status__in=OPEN_STATUSES)  # the follow-up list; history by choosing a status
    if filters.source_case_id:
        contacts = contacts.filter(source_case_id=filters.source_case_id)
    if filters.cluster_id:
        contacts = contacts.filter(cluster_id=filters.cluster_id)
    if filters.generation:
        contacts = contacts.filter(generation=filters.generation)
    if filters.assignee_id:
        contacts = contacts.filter(assigned_to_id=filters.assignee_id)
    q = filters.q.strip()
    if q:
        contacts = contacts.filter(person__name_search__contains=fold(q))
    return contacts.select_related(
        "person", "ward__parent", "source_case", "source_contact__person", "assigned_to", "cluster"
    ).order_by("-contacted_on", "-id")


def contact_counts(*, user: User, today: date, district_id: int | None = None, ward_id: int | None = None) -> dict:
    """Open F1 by follow-up reason, in one query over the open ones only (the index `contact_open` covers it)."""
    contacts = _in_wards(user, district_id=district_id, ward_id=ward_id).filter(status__in=OPEN_STATUSES)
    return contacts.aggregate(
        open=Count("id"), **{reason: Count("id", filter=reason_filter(reason, today)) for reason in REASONS}
    )


def contacts_of_case(*, user: User, case_id: int) -> QuerySet[Contact]:
    """An F0's F1 (and their F2) that the user may see, for the F0's contact page."""
    return (
        contacts_visible_to(user)
        .filter(Q(source_case_id=case_id) | Q(source_contact__source_case_id=case_id))
        .select_related("person", "ward__parent", "source_contact__person", "converted_case", "cluster")
        .order_by("generation", "-contacted_on", "id")
    )


# --- clusters ----------------------------------------------------------------------------------------


def clusters_visible_to(user: User) -> QuerySet[Cluster]:
    if user.area is None:
        return Cluster.objects.none()
    return Cluster.objects.filter(in_area(user.area))


def cluster_for_user(user: User, cluster_id: int) -> Cluster:
    cluster = Cluster.objects.select_related("ward__parent", "index_case", "created_by").filter(pk=cluster_id).first()
    if cluster is None or user.area is None or not area_covers_ward(user.area, cluster.ward):
        raise Http404
    return cluster


def cluster_list(*, user: User, kind: str = "", district_id: int | None = None, ward_id: int | None = None) -> QuerySet:
    """Clusters with their member counts: contacts, contacts who became F0, F0 in the cluster."""
    if user.area is None:
        return Cluster.objects.none()
    wards = ward_ids(user.area)
    if ward_id:
        wards = wards.filter(pk=ward_id)
    elif district_id:
        wards = wards.filter(parent_id=district_id)
    clusters = Cluster.objects.filter(ward_id__in=list(wards.values_list("pk", flat=True)))
    if kind:
        clusters = clusters.filter(kind=kind)
    return (
        clusters.annotate(
            members=Count("contacts", distinct=True),
            converted=Count("contacts", filter=Q(contacts__status=ContactStatus.CONVERTED), distinct=True),
            f0=Count("cases", distinct=True),
        )
        .select_related("ward__parent", "index_case")
        .order_by("-created_at", "-id")
    )


def cluster_members(*, user: User, cluster: Cluster) -> QuerySet[Contact]:
    """The cluster's F1/F2 that the user may see (a district's cluster may hold people of several wards)."""
    members = contacts_visible_to(user).filter(cluster=cluster)
    return members.select_related("person", "source_case", "source_contact__person", "converted_case").order_by(
        "generation", "contacted_on", "id"
    )
