"""The findings of an evaluated month, in English with named placeholders (pure), and the
labels their values may carry: stored in English, shown translated (kpis.ingestion.shown)."""

from core.catalogue import METRICS
from core.channels import CHANNEL_LABELS
from core.texts import gettext_noop

USAGE_ALL_CHANNELS = gettext_noop(
    "%(metric)s was reported for all channels together (%(amount)s); prices apply per channel, "
    "so it was not priced. Report it per channel."
)
PRICING_FAILED = gettext_noop(
    "The month could not be priced: %(error)s. Charges, the at-risk amount and credits are left "
    "empty until the terms or the data are corrected."
)
FTE_NOT_CONTRACTED = gettext_noop(
    "%(channel)s is billed per FTE but the contract states no FTE for it; no FTE were billed."
)
MISSING = gettext_noop("No %(metric)s was reported for %(channel)s: the vendor did not report it.")
MISSING_ALL_CHANNELS = gettext_noop(
    "No %(metric)s was reported for all channels: the vendor did not report it."
)
NO_FIGURE = gettext_noop("%(metric)s for %(channel)s was reported without a figure (%(note)s).")
NO_FIGURE_ALL_CHANNELS = gettext_noop(
    "%(metric)s for all channels was reported without a figure (%(note)s)."
)
NO_VOLUME_NOTE = gettext_noop("no volume")

ALL = (
    *(v for n, v in sorted(globals().items()) if n.isupper() and isinstance(v, str)),
    *(metric.label for metric in METRICS.values()),
    *CHANNEL_LABELS.values(),
)
