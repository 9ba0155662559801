"""The catalogue's and the channels' labels in the reader's language (pure core keeps them in
English, marked with gettext_noop): choices for models, forms, filters and serializers."""

from django.utils.translation import gettext, gettext_lazy

from core.catalogue import METRICS
from core.channels import CHANNEL_LABELS, Channel

METRIC_CHOICES = [(m.code, gettext_lazy(m.label)) for m in METRICS.values()]  # noqa: INT001
CHANNEL_CHOICES = [(c.value, gettext_lazy(CHANNEL_LABELS[c])) for c in Channel]  # noqa: INT001


def metric_label(code: str) -> str:
    """The metric's label in the reader's language (the code itself when unknown)."""
    metric = METRICS.get(code)
    return gettext(metric.label) if metric else code  # noqa: INT001


def channel_label(code: str | None) -> str:
    """The channel's label in the reader's language (the code itself when unknown)."""
    try:
        return gettext(CHANNEL_LABELS[Channel(code)])  # noqa: INT001
    except ValueError:
        return str(code or "")
