"""The SVG charts read at body size, with the reader's separators and gaps for missing months."""

import re
from decimal import Decimal

from django.utils import translation

from core.charts import bar_chart, line_chart

MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04"]


def _money_chart() -> str:
    return line_chart(
        title="Cumulative savings (EUR)",
        x_labels=MONTHS,
        series=[("Savings", [Decimal("250000"), None, Decimal("700000"), Decimal("1250000.50")])],
        thresholds=[("One-off fees", Decimal("900000"))],
    )


def _font_sizes(svg: str, selector: str) -> list[float]:
    """The font sizes pygal's embedded style gives the rules naming `selector`."""
    sizes = []
    for rule in re.findall(r"([^{}]*)\{([^{}]*)\}", svg):
        names, body = rule
        if selector in names:
            sizes += [float(x) for x in re.findall(r"font-size:\s*([\d.]+)px", body)]
    return sizes


def test_titles_and_axis_labels_are_drawn_at_least_14_units_high():
    svg = _money_chart()

    for selector in (".title", ".axis text", ".legends .legend text"):
        sizes = _font_sizes(svg, selector)
        assert sizes, selector
        assert min(sizes) >= 14, (selector, sizes)


def test_a_money_axis_groups_thousands_in_the_readers_language():
    with translation.override("en"):
        english = _money_chart()
    with translation.override("nl"):
        dutch = _money_chart()

    assert re.search(r">\d{1,3}(,\d{3})+<", english)  # e.g. 1,000,000
    assert re.search(r">\d{1,3}(\.\d{3})+<", dutch)  # e.g. 1.000.000
    assert ">700000<" not in english and ">700000<" not in dutch


def test_a_missing_month_interrupts_the_line_instead_of_bridging_it():
    with_gap = _money_chart()
    without_gap = line_chart(
        title="t",
        x_labels=MONTHS,
        series=[("Savings", [Decimal(1), Decimal(2), Decimal(3), Decimal(4)])],
    )

    def moves(svg: str) -> int:
        # each line is a path "M x y L ..."; an interruption starts a new subpath with M
        paths = re.findall(r'<path d="(M[^"]*)"[^>]*class="line reactive', svg)
        return sum(p.count("M") for p in paths)

    assert moves(with_gap) == moves(without_gap) + 1


def test_a_bar_chart_uses_the_same_fonts_and_formatting():
    with translation.override("en"):
        svg = bar_chart(title="Total score", labels=["A", "B"], values=[Decimal("1234.5"), None])

    assert min(_font_sizes(svg, ".title")) >= 14
    assert "1,234.5" in svg or "1,234.50" in svg


def _axis_labels(svg: str) -> list[str]:
    """Every text pygal draws (the callers keep the month names: the x axis's)."""
    return re.findall(r"<text[^>]*>([^<]+)</text>", svg)


def test_a_long_term_names_every_k_th_month_on_the_axis_and_keeps_every_point():
    months = [f"{2027 + (m // 12)}-{m % 12 + 1:02d}" for m in range(24)]
    svg = line_chart(title="t", x_labels=months, series=[("Cost", [Decimal(m) for m in range(24)])])
    named = [t for t in _axis_labels(svg) if re.fullmatch(r"\d{4}-\d{2}", t)]
    assert named == months[::2]  # 24 months: every second one, 12 names
    assert len(re.findall(r'class="dot reactive', svg)) == 24
    short = line_chart(title="t", x_labels=MONTHS, series=[("Cost", [Decimal(1)] * 4)])
    assert [t for t in _axis_labels(short) if t in MONTHS] == MONTHS


def test_a_bar_chart_lays_its_bars_across_so_long_names_sit_beside_them():
    names = ["Manila BayServe Inc.", "Polder Dedicated Support BV"]
    svg = bar_chart(title="Total score", labels=names, values=[Decimal(75), Decimal(63)])
    assert 'class="graph horizontalbar-graph' in svg
    texts = re.findall(r'<text x="[^"]*" y="([^"]*)"[^>]*>([^<]+)</text>', svg)
    heights = {name: float(y) for y, name in texts}
    # the first label (the first-ranked vendor) is drawn on top: the smallest y
    assert heights[names[0]] < heights[names[1]]
