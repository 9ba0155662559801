"""Home-page panels of the evaluation, for managers: new breaches and chronic flags."""

from kpis.evaluation.selectors import breach_list, chronic_flag_list
from kpis.models.evaluation import Breach


def new_breaches_panel(request) -> dict:
    """Open breaches nobody has decided on yet, newest month first."""
    open_ = breach_list(user=request.user).filter(status=Breach.Status.OPEN, cleared=False)
    return {"breaches": list(open_.order_by("-period", "-created_at")[:10]),
            "count": open_.count()}  # fmt: skip


def chronic_flags_panel(request) -> dict:
    """Targets flagged chronic, newest month first (a termination right)."""
    flags = chronic_flag_list(user=request.user).filter(cleared=False)
    return {"flags": list(flags.order_by("-period", "-created_at")[:10])}
