"""Numbers as the reader writes them (DEVELOPERS.md: "numbers and dates follow the reader's
language"): money with its currency, thousands separators, the decimal comma where the language
uses it, percentages as percentages; and the reader's format read back from a form.

One place for it, on Babel's CLDR data, so a page, an e-mail, an export and a PDF say the same
thing the same way. Every function takes the language from Django's active language unless a
`language` is given (a report renders in its requester's language, an e-mail in its recipient's).
"""

from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel import numbers as babel_numbers
from django.utils import translation
from django.utils.translation import gettext as _

# Django language code -> CLDR locale. English keeps the product's ISO-leaning British habits.
_LOCALES = {"en": "en_GB", "nl": "nl_NL", "ro": "ro_RO", "es": "es_ES", "de": "de_DE"}


def locale_of(language: str | None = None) -> Locale:
    """The CLDR locale of a Django language code (the active one when None)."""
    code = (language or translation.get_language() or "en").lower()
    name = _LOCALES.get(code) or _LOCALES.get(code.split("-")[0]) or "en_GB"
    try:
        return Locale.parse(name)
    except (UnknownLocaleError, ValueError):  # pragma: no cover - CLDR ships all of them
        return Locale.parse("en_GB")


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _pattern(places: int | None, *, minimum: int = 0) -> str:
    """A CLDR decimal pattern with grouping: `places` fixed decimals, or as many as the value
    has (at most 10, at least `minimum`) when None."""
    if places is not None:
        return "#,##0" + ("." + "0" * places if places else "")
    return "#,##0" + ("." + "0" * minimum + "#" * (10 - minimum))


def number(value, places: int | None = None, *, language: str | None = None) -> str:
    """A number with the reader's separators: `1.234,5` in Dutch, `1,234.5` in English.

    `places` fixes the decimals (rounded half-even by CLDR rules, so round first with
    core.money where DOMAIN.md says half-up); None shows the value's own decimals, trailing
    zeros dropped. Not a number: shown as given ("" for None)."""
    parsed = _decimal(value)
    if parsed is None:
        return "" if value is None else str(value)
    if places is None:
        parsed = parsed.normalize()
    return babel_numbers.format_decimal(
        parsed, format=_pattern(places), locale=locale_of(language), decimal_quantization=True
    )


def money(amount, currency: str | None = None, *, language: str | None = None) -> str:
    """An amount with its currency and cents: `€ 1.486.572,80` (nl), `1.486.572,80 EUR` (ro)."""
    parsed = _decimal(amount)
    if parsed is None:
        return "" if amount is None else str(amount)
    if not currency:
        return number(parsed, 2, language=language)
    return babel_numbers.format_currency(parsed, currency, locale=locale_of(language))


def percent(points, places: int | None = None, *, language: str | None = None) -> str:
    """Percentage points as a percentage: 12 -> `12%`, 12.5 -> `12,5%` (nl)."""
    parsed = _decimal(points)
    if parsed is None:
        return "" if points is None else str(points)
    locale = locale_of(language)
    decimals = "." + "0" * places if places else "" if places == 0 else ".##########"
    # The language's own percent pattern (`#,##0%`, `#,##0 %`) with the decimals asked for.
    pattern = locale.percent_formats[None].pattern.replace("#,##0", "#,##0" + decimals, 1)
    return babel_numbers.format_percent(
        parsed / 100, format=pattern, locale=locale, decimal_quantization=True
    )


def fraction_percent(fraction, places: int | None = None, *, language: str | None = None) -> str:
    """A 0-1 fraction as a percentage: 0.55 -> `55%`."""
    parsed = _decimal(fraction)
    if parsed is None:
        return "" if fraction is None else str(fraction)
    return percent(parsed * 100, places, language=language)


class UnreadableNumber(ValueError):
    """A typed number the reader's language cannot read; the message says what was expected."""


def parse_number(text: str, *, language: str | None = None) -> Decimal:
    """A number typed in the reader's format: `4,20` and `1.234,50` in Dutch, `1,234.50` in
    English. A plain `4.20` with no grouping is read as a decimal point in every language (what a
    person pasting from elsewhere means); a value whose grouping is wrong is refused, naming the
    expected form, never silently read as another number."""
    raw = (text or "").strip().replace("\u00a0", " ").replace("\u202f", " ")
    locale = locale_of(language)
    decimal_mark = babel_numbers.get_decimal_symbol(locale)
    group_mark = babel_numbers.get_group_symbol(locale)
    example = babel_numbers.format_decimal(Decimal("1234.5"), format="#,##0.00", locale=locale)
    if not raw:
        raise UnreadableNumber(_("Enter a number."))
    compact = raw.replace(" ", "")
    sign = ""
    if compact[:1] in "+-":
        sign, compact = ("-" if compact[0] == "-" else ""), compact[1:]
    # No grouping and a single point or comma: a decimal mark whatever the language.
    if compact.count(".") + compact.count(",") == 1 and _plain_decimal(compact):
        whole, _mark, fraction = compact.replace(",", ".").partition(".")
        if not (decimal_mark != "." and group_mark == "." and len(fraction) == 3 and whole):
            return Decimal(sign + compact.replace(",", "."))
    try:
        parsed = babel_numbers.parse_decimal(compact, locale=locale, strict=True)
    except babel_numbers.NumberFormatError as error:
        raise UnreadableNumber(
            _("“%(value)s” is not a number as written here; write it like %(example)s.")
            % {"value": raw, "example": example}
        ) from error
    return Decimal(sign + str(parsed))


def _plain_decimal(text: str) -> bool:
    digits = text.replace(".", "").replace(",", "")
    return digits.isdigit()


def _month_date(value):
    """A date for `value` (a date, a datetime or a `YYYY-MM` / `YYYY-MM-DD` text), else None."""
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:7] + "-01")
        except ValueError:
            return None
    return value if isinstance(value, date) else None


def month(value, *, language: str | None = None) -> str:
    """A month as the reader names it: `March 2026` (en), `maart 2026` (nl). Takes a date, a
    datetime or a `YYYY-MM` / `YYYY-MM-DD` text; anything else is shown as given."""
    from babel import dates as babel_dates

    day = _month_date(value)
    if day is None:
        return "" if value is None else str(value)
    return babel_dates.format_skeleton("yMMMM", day, locale=locale_of(language))


def short_month(value, *, language: str | None = None) -> str:
    """A month as a chart's axis names it: `Mar 2026` (en), `mrt 2026` (nl), `mar. 2026` (ro).
    Takes what `month` takes."""
    from babel import dates as babel_dates

    day = _month_date(value)
    if day is None:
        return "" if value is None else str(value)
    return babel_dates.format_skeleton("yMMM", day, locale=locale_of(language))
