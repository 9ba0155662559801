"""Disputes of breaches (DOMAIN.md "Disputes"): the vendor contests, the manager decides.

Within the contract's `dispute_days` after the month was evaluated (the first evaluation that
found the breach), the vendor may dispute a breach once, with a statement and an evidence file.
Until the manager decides, the credit stands and reads "disputed". Accepting waives the credit
through the waiver path (kpis.evaluation.breaches.breach_waive: the month is re-evaluated
without it) with the reason "dispute accepted: ..."; rejecting keeps it with the manager's
reason. A rejected dispute is not reopened. Each step e-mails the other side once (outbox).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.audit import history_record_rows
from core.errors import Conflict
from core.roles import Role, role_of
from kpis.evaluation.breaches import breach_waive
from kpis.evaluation.dispute_notices import dispute_decided_notify, dispute_opened_notify
from kpis.evaluation.evidence import evidence_check
from kpis.models.disputes import Dispute
from kpis.models.evaluation import Breach, Evaluation

Status = Dispute.Status
ACCEPTED_PREFIX = "dispute accepted"  # the waiver's reason starts so (DOMAIN.md)


@dataclass(frozen=True)
class DisputeWindow:
    """When the month was evaluated with this breach, and until when it may be disputed."""

    evaluated_at: datetime
    deadline: datetime
    days: int

    def open_at(self, now: datetime) -> bool:
        return now <= self.deadline


def dispute_window(*, breach: Breach) -> DisputeWindow:
    """The breach's dispute window: `dispute_days` from the first evaluation that found it."""
    first = (
        Evaluation.objects.filter(
            contract_id=breach.contract_id,
            period=breach.period,
            results__target_id=breach.target_id,
            results__status="breach",
        )  # fmt: skip
        .order_by("revision")
        .values_list("created_at", flat=True)
        .first()
    )
    evaluated_at = first or breach.created_at
    days = breach.contract.dispute_days
    return DisputeWindow(evaluated_at, evaluated_at + timedelta(days=days), days)


def dispute_refusal(*, breach: Breach, now: datetime | None = None) -> str | None:
    """Why the vendor cannot dispute this breach now, or None when it can."""
    now = now or timezone.now()
    existing = Dispute.objects.filter(breach_id=breach.pk).values_list("status", flat=True).first()
    if existing == Status.OPEN:
        return _("This breach is already disputed; the manager has not decided yet.")
    if existing == Status.REJECTED:
        return _("The dispute of this breach was rejected; a rejected dispute cannot be reopened.")
    if existing == Status.ACCEPTED:
        return _("The dispute of this breach was accepted: its credit is waived.")
    if breach.cleared:
        return _("The current evaluation no longer shows this breach (the data were revised).")
    if breach.status == Breach.Status.WAIVED:
        return _("The credit of this breach is already waived.")
    window = dispute_window(breach=breach)
    if not window.open_at(now):
        return _(
            "The time to dispute this breach ended on %(deadline)s: %(days)s days after the "
            "month was evaluated (%(evaluated)s)."
        ) % {
            "deadline": _when(window.deadline),
            "days": window.days,
            "evaluated": _when(window.evaluated_at),
        }
    return None


def _when(instant: datetime) -> str:
    return date_format(timezone.localtime(instant), "DATETIME_FORMAT")


@transaction.atomic
def dispute_open(
    *, breach: Breach, user, statement: str, evidence: IO[bytes], filename: str
) -> Dispute:
    """The vendor disputes a breach of its own contract with a statement and evidence."""
    breach = Breach.objects.select_for_update().select_related("contract").get(pk=breach.pk)
    if user.vendor_id is None or user.vendor_id != breach.contract.vendor_id:
        raise Conflict(_("Only the contract's vendor may dispute its breaches."))
    statement = (statement or "").strip()
    errors: dict[str, list[str]] = {}
    if not statement:
        errors["statement"] = [_("Say why the breach is wrong.")]
    try:
        checked = evidence_check(stream=evidence, filename=filename)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    refusal = dispute_refusal(breach=breach)
    if refusal:
        raise Conflict(refusal)
    dispute = Dispute(
        breach=breach, contract_id=breach.contract_id, statement=statement,
        evidence_name=checked.name, evidence_type=checked.kind.content_type,
        evidence_size=checked.size, opened_by=user, opened_at=timezone.now(),
    )  # fmt: skip
    evidence.seek(0)
    dispute.evidence.save(checked.name, File(evidence, name=checked.name), save=False)
    dispute._history_user = user  # type: ignore[attr-defined]
    dispute._change_reason = "Disputed by the vendor"  # type: ignore[attr-defined]
    try:
        dispute.save()
        dispute_opened_notify(dispute=dispute)
    except Exception:
        dispute.evidence.storage.delete(dispute.evidence.name)  # keep no orphan file
        raise
    return dispute


def _decide(*, breach: Breach, user, status: Status, reason: str) -> Dispute:
    updated = Dispute.objects.filter(breach_id=breach.pk, status=Status.OPEN).update(
        status=status, decided_by=user, decided_at=timezone.now(), reason=reason
    )
    if updated != 1:
        current = Dispute.objects.filter(breach_id=breach.pk).values_list("status", flat=True)
        if not current:
            raise Conflict(_("This breach has not been disputed."))
        raise Conflict(
            _("This dispute is already decided (%(status)s).")
            % {"status": Status(current[0]).label}
        )
    dispute = Dispute.objects.get(breach_id=breach.pk)
    history_record_rows(
        Dispute, [dispute.pk], update=True, user=user, reason=f"Dispute {status.value}"
    )
    return dispute


def _require_manager(user) -> None:
    if role_of(user) not in (Role.MANAGER, Role.ADMIN):
        raise Conflict(_("Only a manager decides on a dispute."))


@transaction.atomic
def dispute_accept(*, breach: Breach, user, reason: str = "") -> Dispute:
    """open -> accepted: the credit is waived with "dispute accepted: <reason>"."""
    _require_manager(user)
    reason = (reason or "").strip()
    dispute = _decide(breach=breach, user=user, status=Status.ACCEPTED, reason=reason)
    waiver = f"{ACCEPTED_PREFIX}: {reason}" if reason else ACCEPTED_PREFIX
    breach_waive(breach=breach, user=user, reason=waiver)
    dispute_decided_notify(dispute=dispute)
    return dispute


@transaction.atomic
def dispute_reject(*, breach: Breach, user, reason: str) -> Dispute:
    """open -> rejected with the manager's reason; the credit stands."""
    _require_manager(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the dispute is rejected.")]})
    dispute = _decide(breach=breach, user=user, status=Status.REJECTED, reason=reason)
    dispute_decided_notify(dispute=dispute)
    return dispute
