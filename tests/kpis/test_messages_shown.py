"""KPI messages are stored in English and shown in the reader's language (kpis.ingestion.shown):
the pseudo-locale wraps each translated message, so a wrapped one went through the catalog."""

from kpis.evaluation import texts as evaluation_texts
from kpis.ingestion import texts
from kpis.ingestion.outcome import done_message, refused_message
from kpis.ingestion.shown import shown
from tests.support.pseudo import pseudo_locale


def test_a_stored_row_message_is_shown_translated_with_its_values_kept():
    stored = texts.ROW_REPEATED % {"row": 7}
    with pseudo_locale():
        assert shown(stored) == "⟦Row 7 already gives this contract, period, channel and metric.⟧"


def test_the_values_of_a_message_that_are_entries_themselves_are_translated_too():
    stored = texts.DELIMITERS_MIXED % {"names": "comma, semicolon"}
    with pseudo_locale():
        assert shown(stored) == (
            "⟦The header row mixes delimiters (⟦comma⟧, ⟦semicolon⟧): use one delimiter.⟧"
        )


def test_a_finding_names_its_metric_and_channel_in_the_readers_language():
    stored = evaluation_texts.MISSING % {"metric": "Service level", "channel": "Phone"}
    with pseudo_locale():
        assert shown(stored) == (
            "⟦No ⟦Service level⟧ was reported for ⟦Phone⟧: the vendor did not report it.⟧"
        )


def test_a_message_outside_the_table_is_shown_as_stored():
    with pseudo_locale():
        assert shown("Written by hand before the table existed.") == (
            "Written by hand before the table existed."
        )


def test_a_percent_sign_in_a_message_survives_the_round_trip():
    stored = texts.NOT_A_PERCENTAGE % {"metric": "nps"}
    assert stored == "nps is not a percentage: remove the % sign."
    assert shown(stored) == stored


def test_counted_outcomes_use_one_plural_per_sentence():
    assert done_message(rows=1, revised=0, months=0) == (
        "Ingested 1 row. Every monthly value was already as stored."
    )
    assert done_message(rows=3, revised=1, months=1) == (
        "Ingested 3 rows. 1 monthly value revised, in contract months: 1."
    )
    assert refused_message(problems=1, rows=1_200) == (
        "Refused: 1 problem, nothing was stored. Rows read: 1,200."
    )
