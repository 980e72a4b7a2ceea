"""Writes to clusters: a named group of exposures (household, workplace, school) and who belongs to it. Audited."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.areas.scoping import area_contains
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record
from phongdich.cases.models import Case
from phongdich.contacts.models import Cluster, Contact, Setting
from phongdich.vntext import fold

_PUNCTUATION = re.compile(r"[^\w\s/]+")


def address_key(address: str) -> str:
    """ "Số 12, ngõ 5 Phúc Xá" and "so 12 ngo 5  phuc xa" are the same household."""
    return " ".join(_PUNCTUATION.sub(" ", fold(address)).split())


def check_cluster(*, actor: User, cluster: Cluster) -> None:
    if actor.area is None or not area_contains(actor.area, cluster.ward):
        raise ValidationError({"cluster": _("Ổ dịch không thuộc địa bàn của bạn.")})


@transaction.atomic
def cluster_create(
    *, actor: User, ward: Area, name: str, kind: str, note: str = "", index_case: Case | None = None,
    address: str = "",
) -> Cluster:  # fmt: skip
    if actor.area is None or not ward.is_ward or not area_contains(actor.area, ward):
        raise ValidationError({"ward": _("Phường/xã của ổ dịch phải thuộc địa bàn của bạn.")})
    if not name.strip():
        raise ValidationError({"name": _("Tên ổ dịch không được để trống.")})
    if kind not in Setting.values:
        raise ValidationError({"kind": _("Loại ổ dịch không hợp lệ.")})
    key = address_key(address) if kind == Setting.HOUSEHOLD else ""
    if key and Cluster.objects.filter(ward=ward, kind=Setting.HOUSEHOLD, address_key=key).exists():
        raise ValidationError({"name": _("Đã có ổ dịch hộ gia đình tại địa chỉ này.")})
    cluster = Cluster.objects.create(
        name=name.strip(), kind=kind, ward=ward, address_key=key, index_case=index_case, note=note, created_by=actor
    )
    if index_case is not None:
        cluster.cases.add(index_case)
    audit_record(
        actor=actor, event=Event.CREATE, target_type="cluster", target_id=cluster.pk, area=ward,
        changes={"name": cluster.name, "kind": kind, "index_case": index_case, "address_key": key},
    )  # fmt: skip
    return cluster


def household_cluster(*, actor: User, case: Case) -> Cluster:
    """The household cluster of an F0: the one at the same address in the F0's ward, or the F0's own, or a new one."""
    key = address_key(case.person.address)
    found = None
    if key:
        found = Cluster.objects.filter(ward=case.ward, kind=Setting.HOUSEHOLD, address_key=key).first()
    if found is None:
        found = Cluster.objects.filter(kind=Setting.HOUSEHOLD, index_case=case).first()
    if found is not None:
        if not found.cases.filter(pk=case.pk).exists():
            found.cases.add(case)
        return found
    name = _("Hộ gia đình %(where)s") % {"where": case.person.address.strip() or case.code}
    return cluster_create(
        actor=actor, ward=case.ward, name=name[:200], kind=Setting.HOUSEHOLD, index_case=case,
        address=case.person.address,
    )  # fmt: skip


@transaction.atomic
def cluster_add(*, actor: User, cluster: Cluster, contact: Contact | None = None, case: Case | None = None) -> None:
    """Put an F1 (or an F0) into a cluster; an F1 belongs to one cluster at most."""
    check_cluster(actor=actor, cluster=cluster)
    if (contact is None) == (case is None):
        raise ValidationError(_("Cần đúng một: F1 hoặc F0."))
    if contact is not None:
        if actor.area is None or not area_contains(actor.area, contact.ward):
            raise ValidationError({"contact": _("F1 này không thuộc địa bàn của bạn.")})
        old = contact.cluster_id
        if old == cluster.pk:
            return
        Contact.objects.filter(pk=contact.pk).update(cluster=cluster, version=F("version") + 1)
        contact.cluster, contact.version = cluster, contact.version + 1
        audit_record(
            actor=actor, event=Event.UPDATE, target_type="contact", target_id=contact.pk, area=contact.ward,
            changes={"cluster": [old, cluster.pk]},
        )  # fmt: skip
        return
    assert case is not None
    if actor.area is None or not area_contains(actor.area, case.ward):
        raise ValidationError({"case": _("F0 này không thuộc địa bàn của bạn.")})
    if cluster.cases.filter(pk=case.pk).exists():
        return
    cluster.cases.add(case)
    audit_record(
        actor=actor, event=Event.UPDATE, target_type="cluster", target_id=cluster.pk, area=cluster.ward,
        changes={"cases": [None, case.pk]},
    )  # fmt: skip
