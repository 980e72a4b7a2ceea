"""Creating requests from imported group messages the operator confirmed: one request per message, never twice."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.audit.models import Event
from phongdich.audit.services import audit_record
from phongdich.hotline.models import Request, RequestCategory
from phongdich.hotline.parsing import ParsedMessage
from phongdich.hotline.services import request_create


@dataclass
class ImportOutcome:
    created: list[Request] = field(default_factory=list)
    already: int = 0  # imported before (same external_ref)
    issues: list[tuple[int, str]] = field(default_factory=list)


def already_imported(messages: list[ParsedMessage]) -> set[str]:
    refs = [m.external_ref for m in messages]
    return set(Request.objects.filter(external_ref__in=refs).values_list("external_ref", flat=True))


def messages_import(
    *,
    actor: User,
    messages: list[ParsedMessage],
    channel: str,
    default_ward: Area | None,
    categories: dict[int, RequestCategory],
) -> ImportOutcome:
    """Create a request per message (its category as confirmed, keyed by line); each in its own savepoint, so one
    bad message is reported by its line and the others are still created. Already imported messages are counted."""
    outcome = ImportOutcome()
    seen = already_imported(messages)
    wards = Area.objects.in_bulk({m.ward_id for m in messages if m.ward_id})
    for message in messages:
        if message.external_ref in seen:
            outcome.already += 1
            continue
        ward = wards.get(message.ward_id) if message.ward_id else default_ward
        if ward is None:
            outcome.issues.append(
                (message.line, _("Không tìm thấy phường/xã trong tin nhắn; hãy chọn phường/xã mặc định."))
            )
            continue
        try:
            item = request_create(
                actor=actor, category=categories[message.line], channel=channel, message=message.text,
                caller_phone=message.phone, caller_name=message.sender, caller_address=message.address, ward=ward,
                external_ref=message.external_ref, now=message.sent_at,
            )  # fmt: skip
        except ValidationError as error:
            outcome.issues.append((message.line, " ".join(error.messages)))
            continue
        seen.add(message.external_ref)
        outcome.created.append(item)
    audit_record(
        actor=actor, event=Event.IMPORT, target_type="request", target_id=None, area=actor.area,
        changes={"created": len(outcome.created), "already": outcome.already, "rejected": len(outcome.issues)},
        extra={"channel": channel},
    )  # fmt: skip
    return outcome
