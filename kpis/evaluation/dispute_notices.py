"""E-mails of disputes, through the outbox: each once per recipient and step.

When a vendor opens a dispute the managers are told; when a manager decides, the vendor's users.
Each e-mail is rendered in its recipient's language (core.i18n.speaking) and kept with the key
`dispute:<id>:<step>`, so a repeated call (or a send task run twice) sends nothing twice.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from core.catalogue import METRICS
from core.formatting import money
from core.i18n import speaking
from core.roles import Role
from kpis.models.disputes import Dispute
from outbox.services import mail_enqueue


def _users_to_tell(dispute: Dispute, step: str):
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if step == "opened":
        return users.filter(groups__name=Role.MANAGER.value).distinct().order_by("pk")
    return users.filter(vendor_id=dispute.contract.vendor_id).order_by("pk")


def _about(dispute: Dispute) -> dict[str, str]:
    breach, contract = dispute.breach, dispute.contract
    target = breach.target
    return {
        "reference": contract.reference,
        "month": f"{breach.period:%Y-%m}",
        "target": f"{METRICS[target.metric].label} ({target.channel or _('all channels')})",
        "credit": money(breach.credit, contract.currency) if breach.credit is not None else "—",
        "statement": dispute.statement,
        "reason": dispute.reason or "—",
        "link": reverse("breach-dispute", args=[breach.pk]),
    }


def _message(dispute: Dispute, step: str) -> tuple[str, str]:
    about = _about(dispute)
    if step == "opened":
        subject = _("%(reference)s %(month)s: the vendor disputes the breach of %(target)s")
        body = _(
            "The vendor disputes the breach of %(target)s in %(month)s (contract "
            "%(reference)s, service credit %(credit)s).\n\nStatement: %(statement)s\n\n"
            "Until you decide, the credit stands and is marked as disputed. Accept (the credit "
            "is waived) or reject it with a reason: %(link)s"
        )
    elif step == Dispute.Status.ACCEPTED:
        subject = _("%(reference)s %(month)s: your dispute of %(target)s was accepted")
        body = _(
            "Your dispute of the breach of %(target)s in %(month)s (contract %(reference)s) was "
            "accepted: the service credit of %(credit)s is waived.\n\nReason: %(reason)s\n\n"
            "%(link)s"
        )
    else:
        subject = _("%(reference)s %(month)s: your dispute of %(target)s was rejected")
        body = _(
            "Your dispute of the breach of %(target)s in %(month)s (contract %(reference)s) was "
            "rejected: the service credit of %(credit)s stands.\n\nReason: %(reason)s\n\n"
            "%(link)s"
        )
    return subject % about, body % about


def _notify(dispute: Dispute, step: str) -> int:
    dispute = Dispute.objects.select_related("breach__target", "contract").get(pk=dispute.pk)
    kept = 0
    for user in _users_to_tell(dispute, step):
        with speaking(user):
            subject, body = _message(dispute, step)
        kept += len(
            mail_enqueue(
                kind=f"dispute_{step}",
                object_ref=f"kpis.dispute:{dispute.pk}",
                key=f"dispute:{dispute.pk}:{step}",
                recipients=[user.email],
                subject=subject,
                body=body,
            )  # fmt: skip
        )
    return kept


def dispute_opened_notify(*, dispute: Dispute) -> int:
    """Tell the managers a vendor disputes a breach; how many new e-mails were kept."""
    return _notify(dispute, "opened")


def dispute_decided_notify(*, dispute: Dispute) -> int:
    """Tell the vendor's users the manager's decision; how many new e-mails were kept."""
    return _notify(dispute, str(dispute.status))
