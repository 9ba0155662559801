"""SVG charts drawn by pygal: one code path for the web pages and the PDF reports.

Selectors and services return the figures as plain data; the views and the report builders
draw them here.
"""

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

import pygal
from pygal.style import Style

from core.formatting import number

_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#111",
    foreground_subtle="#888",
    colors=("#1f6feb", "#d1242f", "#9a6700", "#1a7f37", "#8250df", "#57606a"),
    font_family="DejaVu Sans, sans-serif",
    # The SVG is drawn 720 units wide and shown at most that wide on a page (and about that wide
    # on an A4 PDF page), so these sizes are at least the body's 14-16 px where it is read.
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=13,
    title_font_size=18,
    legend_font_size=14,
    tooltip_font_size=14,
    # pygal's defaults are black guides; WeasyPrint honours them, so name a light grey here.
    guide_stroke_color="#d0d7de",
    major_guide_stroke_color="#afb8c1",
    guide_stroke_dasharray="3,3",
    major_guide_stroke_dasharray="3,3",
)
# pygal embeds a small configuration <script>; the charts are static, so it is dropped
# (nothing to run in a PDF, and pages keep a strict content security policy).
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


# The most month names a line chart's axis shows (beyond, every k-th).
MAX_X_LABELS = 13


def _config(**kwargs) -> dict:
    return {
        "style": _STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "width": 720,
        "height": 320,
        "margin": 16,
        "print_values": False,
        "truncate_label": -1,
        "truncate_legend": -1,
        # A month without a figure (None) is a gap in the line, never a line across it.
        "allow_interruptions": True,
        # The reader's thousands separator and decimal mark on the axis and the values.
        "value_formatter": _axis_number,
        **kwargs,
    }


def _axis_number(value: float | None) -> str:
    """An axis or value label: `700.000` (nl), `700,000` (en); two places only where needed."""
    if value is None:
        return ""
    places = 0 if float(value).is_integer() else 2
    return number(Decimal(str(value)), places)


def _svg(chart) -> str:
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def _num(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[Decimal | None],
    value_range: tuple[float, float] | None = None,
) -> str:
    """A horizontal bar per label (e.g. each vendor's total score), so that long names stay
    readable beside their bars; `value_range` fixes the axis (e.g. 0-100 for scores) so that it
    always covers the largest bar."""
    extra = {"range": value_range} if value_range else {}
    height = max(160, 70 + 42 * len(labels))
    chart = pygal.HorizontalBar(**_config(title=title, show_legend=False, height=height, **extra))
    # pygal stacks horizontal bars from the bottom: reversed, the first label is on top.
    chart.x_labels = list(reversed(labels))
    chart.add(title, [_num(v) for v in reversed(values)])
    return _svg(chart)


def line_chart(
    *,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
    thresholds: Sequence[tuple[str, Decimal]] = (),
) -> str:
    """Lines over months, with horizontal threshold lines (expected, minimum) dashed. Beyond
    MAX_X_LABELS months only every k-th month is named on the axis (the lines keep every
    point), so the names never run into each other."""
    every = -(-len(x_labels) // MAX_X_LABELS)  # ceiling division
    spacing = {"x_labels_major_every": every, "show_minor_x_labels": False} if every > 1 else {}
    chart = pygal.Line(
        **_config(title=title, legend_at_bottom=True, x_label_rotation=30, **spacing)
    )
    chart.x_labels = list(x_labels)
    for name, values in series:
        chart.add(name, [_num(v) for v in values])
    for name, level in thresholds:
        chart.add(
            name,
            [float(level)] * len(x_labels),
            show_dots=False,
            stroke_style={"width": 1.5, "dasharray": "6, 4"},
        )
    return _svg(chart)


class LineData(Protocol):
    """What a line chart needs: e.g. an SLA trend line or the ROI's savings line."""

    @property
    def title(self) -> str: ...
    @property
    def x_labels(self) -> Sequence[str]: ...
    @property
    def series(self) -> Sequence[tuple[str, Sequence[Decimal | None]]]: ...
    @property
    def thresholds(self) -> Sequence[tuple[str, Decimal]]: ...


def line_chart_of(data: LineData) -> str:
    """line_chart() of a selector's or service's plain data."""
    return line_chart(
        title=data.title, x_labels=data.x_labels, series=data.series, thresholds=data.thresholds
    )
