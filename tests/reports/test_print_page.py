"""The running header and page counter of a printed report: translated sentences cut around
their CSS counters and quoted as CSS strings (reports/templatetags/print_page.py)."""

from django.utils import translation

from reports.templatetags.print_page import css_string, page_counter, running_header


def test_a_css_string_escapes_quotes_backslashes_and_line_breaks():
    assert css_string('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c\\A d"'


def test_the_page_counter_follows_the_sentence_of_each_language():
    with translation.override("en"):
        assert page_counter() == '"page " counter(page) " of " counter(pages)'
    with translation.override("ro"):
        assert page_counter() == '"pagina " counter(page) " din " counter(pages)'
    with translation.override("es"):
        assert page_counter() == '"página " counter(page) " de " counter(pages)'


def test_the_running_header_names_the_report_in_the_reader_s_language():
    with translation.override("nl"):
        assert running_header(12) == '"Rapport nr. 12"'
    with translation.override("en"):
        assert running_header(12) == '"Report #12"'
