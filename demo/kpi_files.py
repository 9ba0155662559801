"""A year of KPI files for the demo contract, written the way European vendors send them.

Semicolon-separated, decimal comma, some months as daily rows. The levels are designed to
tell a story: the phone service level breaches its minimum in four of the last six months
(the one chronic target), abandonment and the speed of answer slip once in May, one month
forgets e-mail response times (a missing-report finding), and CSAT drifts below expected in
the last quarter (a key measurement, no credit).
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# Month index 0..11 -> phone service level (%), abandonment (%), e-mail response (h or None).
SERVICE_LEVEL = [
    "82,4",
    "81,1",
    "79,2",
    "83,0",
    "80,6",
    "81,9",
    "73,8",
    "78,1",
    "72,5",
    "80,4",
    "71,9",
    "74,6",
]  # noqa: E501
ABANDONMENT = ["4,1", "4,4", "4,9", "3,8", "4,2", "4,6", "8,7", "4,8", "4,7", "4,6", "5,4", "4,5"]
EMAIL_HOURS = [
    "18,5",
    "20,1",
    "22,4",
    "19,0",
    "21,7",
    "23,2",
    "26,0",
    "22,9",
    None,
    "24,8",
    "21,0",
    "20,3",
]  # noqa: E501
CSAT = [
    "87,2",
    "86,5",
    "85,9",
    "86,1",
    "86,0",
    "85,7",
    "85,2",
    "85,4",
    "85,6",
    "83,3",
    "84,0",
    "84,6",
]
ASA = ["24", "26", "29", "22", "27", "28", "47", "29", "28", "27", "31", "26"]
CONTACTS = {"phone": 12000, "chat": 6000, "email": 8000}
AHT_MINUTES = {"phone": Decimal("5.5"), "chat": Decimal(7), "email": Decimal(8)}
DAILY_MONTHS = {6, 10}  # these months arrive as daily rows (aggregated by volume)


@dataclass(frozen=True)
class KpiFile:
    """One monthly file: its name and its bytes (Windows-1252, as exported)."""

    name: str
    content: bytes


def _month(start: date, index: int) -> date:
    total = start.year * 12 + start.month - 1 + index
    return date(total // 12, total % 12 + 1, 1)


def _volume(channel: str, index: int) -> int:
    # A little seasonality so the months differ.
    return int(CONTACTS[channel] * (1 + ((index * 7) % 11 - 5) / 100))


def _monthly_rows(ref: str, period: str, index: int) -> list[str]:
    offered = _volume("phone", index) + 240
    rows = [
        f"{ref};{period};phone;service_level;{SERVICE_LEVEL[index]};{offered}",
        f"{ref};{period};phone;abandonment_rate;{ABANDONMENT[index]} %;{offered}",
        f"{ref};{period};phone;asa_seconds;{ASA[index]};{_volume('phone', index)}",
        f"{ref};{period};;csat;{CSAT[index]};{1200 + index * 13}",
    ]
    if EMAIL_HOURS[index] is not None:
        hours, emails = EMAIL_HOURS[index], _volume("email", index)
        rows.append(f"{ref};{period};email;email_response_hours;{hours};{emails}")
    return rows


def _daily_rows(ref: str, month: date, index: int) -> list[str]:
    days = calendar.monthrange(month.year, month.month)[1]
    level = Decimal(SERVICE_LEVEL[index].replace(",", "."))
    offered = (_volume("phone", index) + 240) // days
    rows = []
    for day in range(1, days + 1):
        # Alternate a little around the month's level; equal volumes keep the mean exact.
        swing = Decimal("1.5") if day % 2 else Decimal("-1.5")
        if day == days and days % 2:
            swing = Decimal(0)
        value = str(level + swing).replace(".", ",")
        rows.append(f"{ref};{month:%Y-%m}-{day:02d};phone;service_level;{value};{offered}")
    return rows + _monthly_rows(ref, f"{month:%Y-%m}", index)[1:]


def _usage_rows(ref: str, period: str, index: int) -> list[str]:
    rows = []
    for channel, minutes in AHT_MINUTES.items():
        contacts = _volume(channel, index)
        handled = (contacts * minutes).quantize(Decimal(1))
        rows.append(f"{ref};{period};{channel};contacts_handled;{contacts:,}".replace(",", "."))
        rows.append(f"{ref};{period};{channel};handled_minutes;{handled};")
    return rows


def demo_kpi_files(*, reference: str, start: date, months: int = 12) -> list[KpiFile]:
    """The demo contract's monthly KPI files, oldest first."""
    files = []
    for index in range(months):
        month = _month(start, index)
        period = f"{month:%Y-%m}"
        body = (
            _daily_rows(reference, month, index)
            if index in DAILY_MONTHS
            else _monthly_rows(reference, period, index)
        )
        lines = [
            "Contract;Period;Channel;Metric;Value;Volume",
            *body,
            *_usage_rows(reference, period, index),
        ]
        text = "\r\n".join(lines) + "\r\n\r\n"
        files.append(KpiFile(f"{reference}-{period}.csv", text.encode("cp1252")))
    return files
