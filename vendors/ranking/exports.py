"""An event's comparison as CSV and XLSX files: the page's figures, safe to open in a spreadsheet.

Text that a spreadsheet would read as a formula (a leading =, +, -, @, tab or carriage
return) gets a leading apostrophe; numbers are written as numbers (in XLSX, numeric cells with
a number format), never as text, so they sum and sort. Figures are `Comparison`'s, already
rounded half-up (money to cents, scores to two places): the files agree with the page and API.
"""

import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.spreadsheet import csv_bytes, csv_convention, spreadsheet_text
from vendors.domain.scoring import Criterion
from vendors.models import SourcingEvent
from vendors.ranking import Comparison, ComparisonRow

Cell = str | int | Decimal | bool | datetime | None
MONEY_FORMAT = "#,##0.00"
FIGURE_FORMAT = "0.00"


def ranking_columns(comparison: Comparison) -> list[tuple[str, str | None]]:
    """The ranking table's column titles and XLSX number formats (money in the event's currency)."""
    money = comparison.currency
    return [
        ("Rank", None),
        ("Vendor", None),
        ("Proposal", None),
        ("Qualified", None),
        ("Disqualification reasons", None),
        ("Provisional", None),
        ("Understaffed channels", None),
        (f"TCO ({money})", MONEY_FORMAT),
        (f"Monthly cost ({money})", MONEY_FORMAT),
        *((f"{channel} monthly ({money})", MONEY_FORMAT) for channel in comparison.channels),
        (f"Minimum top-up ({money})", MONEY_FORMAT),
        (f"Fixed fees ({money})", MONEY_FORMAT),
        (f"Cost per contact ({money})", MONEY_FORMAT),
        *((f"{c.value.capitalize()} score", FIGURE_FORMAT) for c in comparison.criteria),
        ("Total", FIGURE_FORMAT),
        ("Language coverage (% of volume at B2 or better)", FIGURE_FORMAT),
        ("Peak month", None),
        (f"Peak month cost ({money})", MONEY_FORMAT),
        ("Low month", None),
        (f"Low month cost ({money})", MONEY_FORMAT),
        *(TRACK_RECORD_COLUMNS if Criterion.PERFORMANCE in comparison.criteria else ()),
    ]


# The performance score's inputs, when something weighs track record.
TRACK_RECORD_COLUMNS = (
    ("Judged target-months", None), ("Met", None), ("Warning", None), ("Breach", None),
    ("Missing", None), ("Newcomer (event's default performance score)", None),
    ("Track record from", None), ("Track record to", None),
)  # fmt: skip


def _track_record_cells(row: ComparisonRow) -> list[Cell]:
    t = row.track_record
    if t is None:
        return [None] * len(TRACK_RECORD_COLUMNS)
    return [t.judged, t.met, t.warning, t.breach, t.missing, t.newcomer, t.period_from,
            t.period_to]  # fmt: skip


def ranking_cells(row: ComparisonRow, criteria: tuple[Criterion, ...]) -> list[Cell]:
    """One proposal's cells in `ranking_columns`' order (`criteria`: the comparison's)."""
    scores = [None if row.scores is None else row.scores.of(c) for c in criteria]
    return [
        row.rank,
        row.vendor_name,
        row.proposal,
        row.qualified,
        "; ".join(row.disqualification_reasons),
        row.provisional,
        ", ".join(row.understaffed),
        row.tco,
        row.monthly_cost,
        *row.channel_costs,
        row.minimum_top_up,
        row.fixed_fees,
        row.cost_per_contact,
        *scores,
        row.total,
        row.language_coverage,
        None if row.peak_month is None else row.peak_month.month,
        None if row.peak_month is None else row.peak_month.cost,
        None if row.low_month is None else row.low_month.month,
        None if row.low_month is None else row.low_month.cost,
        *(_track_record_cells(row) if Criterion.PERFORMANCE in criteria else ()),
    ]


def comparison_csv(*, comparison: Comparison) -> bytes:
    """The ranking table as UTF-8 CSV with a BOM (so spreadsheets detect the encoding), in the
    reader's convention (`;` and a decimal comma in nl, ro, es: core.spreadsheet)."""
    header = [title for title, _ in ranking_columns(comparison)]
    rows = (ranking_cells(row, comparison.criteria) for row in comparison.rows)
    return csv_bytes(header, rows, bom=True, convention=csv_convention())


# XLSX ---------------------------------------------------------------------------------------


def _xlsx_value(value: Cell) -> object:
    """A cell value: numbers stay numbers, text is escaped and stripped of illegal characters."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str):
        return spreadsheet_text(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _sheet(
    book: Workbook,
    title: str,
    columns: Sequence[tuple[str, str | None]],
    rows: Iterable[Sequence[Cell]],
) -> None:
    """A sheet with a bold frozen header row, number formats per column, columns sized to fit."""
    sheet = book.create_sheet(title)
    sheet.append([_xlsx_value(name) for name, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for values in rows:
        sheet.append([_xlsx_value(v) for v in values])
    for index, (name, number_format) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        for cell in sheet[letter][1:]:
            if isinstance(cell.value, Decimal | int) and not isinstance(cell.value, bool):
                cell.number_format = number_format or "General"
            elif isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
        width = max(len(str(cell.value or "")) for cell in sheet[letter])
        sheet.column_dimensions[letter].width = min(max(width, len(name)) + 2, 60)


def _about(event: SourcingEvent, comparison: Comparison) -> list[tuple[str, Cell]]:
    """What the workbook shows: the event, the weights used, the rounding."""
    weights = ", ".join(f"{c.value} {comparison.weights.of(c)}" for c in comparison.criteria)
    saved = ", ".join(f"{c.value} {comparison.event_weights.of(c)}" for c in comparison.criteria)
    return [
        ("Event", event.title),
        ("Event id", event.pk),
        ("Currency", comparison.currency),
        ("Term (months)", event.term_months),
        ("Start date", event.start_date.isoformat()),
        ("Bid deadline", event.bid_deadline),
        ("Weights used", weights),
        ("Event's saved weights", saved),
        ("What-if (not saved)", comparison.what_if),
        ("Provisional", comparison.provisional),
        ("Generated", timezone.now()),
        ("Rounding", "money half-up to cents, scores and totals to two places, at output only"),
    ]


def _line_rows(comparison: Comparison) -> list[list[Cell]]:
    """Every priced line of every proposal, in the proposal's own currency."""
    rows: list[list[Cell]] = []
    for row in comparison.rows:
        pricing = row.explanation.pricing
        if pricing is None:
            continue
        for line in pricing.lines:
            rows.append(
                [
                    row.rank,
                    row.vendor_name,
                    line.channel.value,
                    line.model.value,
                    line.share,
                    line.rate,
                    line.quantity,
                    line.amount,
                    pricing.quoted.currency,
                    pricing.fx_rate,
                ]
            )
    return rows


def _monthly_rows(comparison: Comparison) -> list[list[Cell]]:
    """Every proposal's cost in every month of the term, event currency."""
    return [
        [row.rank, row.vendor_name, month.month, month.cost]
        for row in comparison.rows
        for month in row.monthly_costs
    ]


def _staffing_rows(comparison: Comparison) -> list[list[Cell]]:
    """The event's staffing per real-time channel, band and month of the term."""
    return [
        [
            s.channel, s.band, s.month, s.hours, s.volume, s.arrival_rate, s.traffic, s.agents,
            s.service_level, s.occupancy, s.p_abandon, s.production_hours,
        ]
        for s in comparison.staffing_grid
    ]  # fmt: skip


def _shortfall_rows(comparison: Comparison) -> list[list[Cell]]:
    """Where each proposal's stated hours or FTE fall short, by month and band."""
    return [
        [row.rank, row.vendor_name, f.channel, f.month, f.band, f.required_hours,
         f.stated_hours, f.agents_needed, f.agents_stated, f.sentence]
        for row in comparison.rows
        for f in row.shortfalls
    ]  # fmt: skip


MONTHLY_COLUMNS = [("Rank", None), ("Vendor", None), ("Month", None), ("Cost", MONEY_FORMAT)]
STAFFING_COLUMNS = [
    ("Channel", None), ("Band", None), ("Month", None), ("Band hours", FIGURE_FORMAT),
    ("Contacts", FIGURE_FORMAT), ("Arrivals per hour", FIGURE_FORMAT),
    ("Traffic (Erlangs)", FIGURE_FORMAT), ("Agents", None), ("Service level %", FIGURE_FORMAT),
    ("Occupancy %", FIGURE_FORMAT), ("Abandoned % (Erlang A)", FIGURE_FORMAT),
    ("Production hours", FIGURE_FORMAT),
]  # fmt: skip
SHORTFALL_COLUMNS = [
    ("Rank", None), ("Vendor", None), ("Channel", None), ("Month", None), ("Band", None),
    ("Required hours", FIGURE_FORMAT), ("Stated hours", FIGURE_FORMAT), ("Agents needed", None),
    ("Agents stated (spread evenly)", FIGURE_FORMAT), ("In words", None),
]  # fmt: skip
SENSITIVITY_COLUMNS = [
    ("Criterion", None),
    ("Weight today", None),
    ("Winner changes at weight", FIGURE_FORMAT),
    ("In words", None),
    ("New winner (proposal)", None),
    ("New winner (vendor)", None),
]
LINE_COLUMNS = [
    ("Rank", None),
    ("Vendor", None),
    ("Channel", None),
    ("Model", None),
    ("Share", None),
    ("Rate", None),
    ("Quantity", FIGURE_FORMAT),
    ("Amount (quoted currency)", MONEY_FORMAT),
    ("Quoted currency", None),
]


def comparison_xlsx(*, event: SourcingEvent, comparison: Comparison) -> bytes:
    """A workbook: Ranking, Sensitivity, Priced lines, Monthly costs, Staffing (band x month),
    Understaffing and About sheets."""
    book = Workbook()
    book.remove(book.active)
    ranking = (ranking_cells(row, comparison.criteria) for row in comparison.rows)
    _sheet(book, "Ranking", ranking_columns(comparison), ranking)
    sensitivity = (
        [s.criterion, s.weight, s.flip_weight, s.sentence, s.new_winner, s.new_winner_name]
        for s in comparison.sensitivity
    )
    _sheet(book, "Sensitivity", SENSITIVITY_COLUMNS, sensitivity)
    fx_title = f"FX rate ({comparison.currency} per unit)"
    _sheet(book, "Priced lines", [*LINE_COLUMNS, (fx_title, None)], _line_rows(comparison))
    monthly = [*MONTHLY_COLUMNS[:3], (f"Cost ({comparison.currency})", MONEY_FORMAT)]
    _sheet(book, "Monthly costs", monthly, _monthly_rows(comparison))
    _sheet(book, "Staffing", STAFFING_COLUMNS, _staffing_rows(comparison))
    _sheet(book, "Understaffing", SHORTFALL_COLUMNS, _shortfall_rows(comparison))
    _sheet(book, "About", [("Item", None), ("Value", None)], _about(event, comparison))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_filename(*, event: SourcingEvent, comparison: Comparison, extension: str) -> str:
    """`event-12-ranking-cost40-expertise20-security20-language20.csv`: the weights in the name."""
    weights = "-".join(f"{c.value}{comparison.weights.of(c)}" for c in comparison.criteria)
    return f"event-{event.pk}-ranking-{weights}.{extension}"
