"""An upload's outcome in a sentence, in the reader's language.

The counted outcomes (ingested, refused for its rows) are composed from the upload's counts with
ngettext, one plural per sentence; every other outcome is the stored English message, translated
through the table of kpis.ingestion.texts. The stored message is the same text in English (the
API's `message`)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

from kpis.ingestion.shown import shown


def done_message(*, rows: int, revised: int, months: int) -> str:
    """'Ingested 3 rows. 3 monthly values revised in contract months: 1.'"""
    ingested = ngettext("Ingested %(count)s row.", "Ingested %(count)s rows.", rows) % {
        "count": f"{rows:,}"
    }
    if not revised:
        return " ".join([ingested, gettext("Every monthly value was already as stored.")])
    changed = ngettext(
        "%(count)s monthly value revised, in contract months: %(months)s.",
        "%(count)s monthly values revised, in contract months: %(months)s.",
        revised,
    ) % {"count": f"{revised:,}", "months": f"{months:,}"}
    return " ".join([ingested, changed])


def refused_message(*, problems: int, rows: int) -> str:
    """'Refused: 3 problems, nothing was stored. Rows read: 5.'"""
    refused = ngettext(
        "Refused: %(count)s problem, nothing was stored.",
        "Refused: %(count)s problems, nothing was stored.",
        problems,
    ) % {"count": f"{problems:,}"}
    return " ".join([refused, gettext("Rows read: %(count)s.") % {"count": f"{rows:,}"}])


def in_english(compose, **counts) -> str:
    """The message as stored (the product's default language, whoever caused it)."""
    with translation.override(settings.LANGUAGE_CODE):
        return compose(**counts)


def upload_outcome(upload) -> str:
    """The upload's outcome in the active language (its counts, else its stored message)."""
    status, failure = upload.Status, upload.Failure
    if upload.status == status.DONE and upload.message:
        months = len(upload.affected_months or [])
        return done_message(
            rows=upload.rows or 0, revised=upload.values_revised or 0, months=months
        )
    if upload.status == status.FAILED and upload.failure == failure.ROWS:
        problems = len(upload.errors or []) + (upload.errors_more or 0)
        return refused_message(problems=problems, rows=upload.rows or 0)
    return shown(upload.message)
