"""A tiny inline SVG line of twelve monthly volumes, drawn on the server (no chart library)."""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH, HEIGHT, PAD = 120, 28, 2


def sparkline_points(values: Sequence[Decimal | float | int]) -> str:
    """The polyline points of the values scaled into the box (the page's script does the same)."""
    numbers = [float(v) for v in values]
    if not numbers:
        return ""
    top = max(numbers) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(numbers) - 1, 1)
    return " ".join(
        f"{PAD + n * step:.1f},{HEIGHT - PAD - (v / top) * (HEIGHT - 2 * PAD):.1f}"
        for n, v in enumerate(numbers)
    )


def sparkline(values: Sequence[Decimal | float | int]) -> SafeString:
    """An accessible inline SVG of the monthly volumes (January to December)."""
    numbers = [round(float(v)) for v in values]
    label = _("Monthly volume, January to December: %(values)s") % {
        "values": ", ".join(f"{n:,}" for n in numbers)
    }
    return format_html(
        '<svg class="sparkline" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}" data-testid="sparkline"><title>{}</title>'
        '<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{}"/></svg>',
        WIDTH, HEIGHT, WIDTH, HEIGHT, label, label, sparkline_points(values),
    )  # fmt: skip
