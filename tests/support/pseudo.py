"""A pseudo-locale: every translated string comes out wrapped in ⟦…⟧, so text a person reads
that is not between the markers was never marked for translation (tests/core/test_translations.py).
"""

import gettext
import html
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.utils.translation import trans_real

OPEN, CLOSE = "⟦", "⟧"
CONTEXT_SEPARATOR = "\x04"  # Django's pgettext sends "context\x04message"

# Words of our product that a translator must see; found outside ⟦…⟧, they are unmarked text.
ENGLISH_WORDS = (
    "Contract", "Contracts", "Vendor", "Vendors", "Breach", "Breaches", "Service level",
    "Proposal", "Proposals", "Submit", "Save", "Month", "Credit", "Credits", "Target",
    "Targets", "Upload", "Uploads", "Report", "Reports", "Event", "Events", "Deadline",
    "Score", "Ranking", "Award", "Status", "Period", "Total", "Baseline", "Channel",
    "Channels", "Price", "Pricing", "Evaluation", "Waive", "Acknowledge", "Download",
    "Rating", "Cost", "Created", "Requested", "Language", "Languages", "Weight", "Weights",
    "Draft", "Active", "Closed", "Open", "Withdraw", "Cancel", "Delete", "Edit", "Back",
    "Next", "Previous", "Home", "History", "Token", "Tokens", "Password", "Log in",
    "Log out", "Search", "Filter", "None yet", "No ", "Yes", "Error", "Errors", "Warning",
    "Missing", "Met", "Rows", "Row", "File", "Amendment", "Terms", "Dispute", "Invoice",
    "contract", "vendor", "breach", "proposal", "month", "upload", "report", "event",
    "deadline", "target", "credit", "the ", "of the", " and ", " for ", " is ", " are ",
)  # fmt: skip


class PseudoTranslation(gettext.NullTranslations):
    """A catalog that translates every message to ⟦message⟧ (and keeps Django's pgettext)."""

    def __init__(self, language: str = "en") -> None:
        super().__init__()
        self._language = language

    @staticmethod
    def _wrap(message: str) -> str:
        if CONTEXT_SEPARATOR in message:
            message = message.split(CONTEXT_SEPARATOR, 1)[1]
        return f"{OPEN}{message}{CLOSE}" if message else message

    def gettext(self, message: str) -> str:
        return self._wrap(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._wrap(singular if n == 1 else plural)

    def language(self) -> str:
        return self._language

    def to_language(self) -> str:
        return self._language


class _EveryLanguage(dict):
    """trans_real's cache of catalogs, answering the pseudo catalog for every language."""

    def __missing__(self, language: str) -> PseudoTranslation:
        self[language] = PseudoTranslation(language)
        return self[language]

    def __contains__(self, language) -> bool:  # trans_real asks `language not in _translations`
        return True


@contextmanager
def pseudo_locale() -> Iterator[None]:
    """Within: every language (the requests', the recipients', the default) is the pseudo one."""
    saved = (
        trans_real._translations,
        trans_real._default,
        getattr(trans_real._active, "value", None),
    )
    trans_real._translations = _EveryLanguage()
    trans_real._default = PseudoTranslation()
    trans_real._active.value = PseudoTranslation()
    try:
        yield
    finally:
        trans_real._translations, trans_real._default, active = saved
        if active is None:
            del trans_real._active.value
        else:
            trans_real._active.value = active


_INVISIBLE = re.compile(r"<(script|style|svg|template|code|pre|kbd|samp)\b.*?</\1>", re.S | re.I)
_READ_ATTRIBUTES = re.compile(
    r"""\b(?:title|placeholder|aria-label|alt|hx-confirm|data-confirm)=(["'])(.*?)\1""", re.S
)
_TAG = re.compile(r"<[^>]*>", re.S)
_MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")


def readable_text(page: str) -> str:
    """What a person reads on an HTML page: its text and the attributes read aloud or shown."""
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    page = _INVISIBLE.sub(" ", page)
    attributes = " ".join(match[2] for match in _READ_ATTRIBUTES.finditer(page))
    return html.unescape(_TAG.sub(" ", page) + " " + attributes)


def unmarked(
    text: str, data: Iterable[str] = (), words: Iterable[str] = ENGLISH_WORDS
) -> list[str]:
    """The words of ours that `text` holds outside the pseudo markers, with their context.

    `data` are the values people typed (names, references, file names): left out first."""
    for value in sorted({d for d in data if d and len(d) > 2}, key=len, reverse=True):
        text = text.replace(value, " ")
    while True:  # markers nest (a translated sentence with a translated label inside)
        stripped = _MARKED.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    text = " ".join(text.split())
    found = []
    for word in words:
        pattern = re.escape(word)
        if word[:1].isalnum():
            pattern = r"\b" + pattern
        if word[-1:].isalnum():
            pattern += r"\b"
        for match in re.finditer(pattern, text):
            found.append(f"{word!r} in …{text[max(0, match.start() - 50) : match.end() + 50]}…")
    return found
