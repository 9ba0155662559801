"""Running queued job rows in the test's process, as their queue's worker would."""

from kpis.evaluation.breaches import waiver_reevaluate
from kpis.models import WaiverReevaluation


def run_waiver_reevaluations() -> int:
    """Run every queued waiver re-evaluation here; how many ran."""
    queued = WaiverReevaluation.objects.filter(status=WaiverReevaluation.Status.QUEUED)
    return sum(
        waiver_reevaluate(job_id=pk) for pk in queued.order_by("pk").values_list("pk", flat=True)
    )
