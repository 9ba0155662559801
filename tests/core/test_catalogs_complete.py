"""The nl, ro and es catalogs are complete: no untranslated or fuzzy entry, and no msgid the
current code asks for that a catalog lacks (docs/i18n.md, "Writing strings").

The two catalog tests fail on any missing, untranslated or fuzzy entry: a string marked without
its three translations does not land. The tests below them prove the checks fail on an
incomplete catalog, with .po files made here."""

from pathlib import Path

import pytest

from tests.support.catalogs import (
    DOMAINS,
    LANGUAGES,
    catalog_path,
    catalog_problems,
    extract,
    msgids_missing,
)


def settle(problems: list[str]) -> None:
    """Fail, naming every problem (`make messages` gathers the strings; docs/i18n.md)."""
    assert not problems, "\n".join(problems)


@pytest.mark.translations
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_is_translated_with_nothing_fuzzy(language):
    problems = [p for domain in DOMAINS for p in catalog_problems(catalog_path(language, domain))]
    settle(problems)


@pytest.mark.translations
@pytest.mark.parametrize("language", LANGUAGES)
def test_makemessages_on_the_current_code_adds_no_msgid_the_catalog_lacks(language, tmp_path):
    missing = [
        f"{catalog_path(language, d)}: missing"
        for d in DOMAINS
        if not catalog_path(language, d).exists()
    ]
    if missing:
        settle(missing)
    fresh = extract(tmp_path, language)
    problems = [
        line
        for domain in DOMAINS
        for line in msgids_missing(
            catalog_path(language, domain), catalog_path(language, domain, fresh)
        )
    ]
    settle(problems)


PO_HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: nl\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

"""


def po(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(PO_HEADER + body, encoding="utf-8")
    return path


def test_a_complete_catalog_has_no_problems(tmp_path):
    path = po(
        tmp_path,
        "ok.po",
        'msgid "Contract"\nmsgstr "Contract"\n\nmsgid "Vendor"\nmsgstr "Leverancier"\n',
    )
    assert catalog_problems(path) == []


def test_an_untranslated_entry_is_a_problem(tmp_path):
    path = po(
        tmp_path,
        "untranslated.po",
        'msgid "Vendor"\nmsgstr "Leverancier"\n\nmsgid "Breach"\nmsgstr ""\n',
    )
    assert any("1 untranslated" in p for p in catalog_problems(path))


def test_a_fuzzy_entry_is_a_problem(tmp_path):
    path = po(tmp_path, "fuzzy.po", '#, fuzzy\nmsgid "Breach"\nmsgstr "Inbreuk"\n')
    assert any("1 fuzzy" in p for p in catalog_problems(path))


def test_a_translation_that_drops_a_placeholder_is_a_problem(tmp_path):
    body = '#, python-format\nmsgid "Row %(row)s is wrong."\nmsgstr "Rij is fout."\n'
    assert catalog_problems(po(tmp_path, "format.po", body)) != []


def test_a_missing_catalog_is_a_problem(tmp_path):
    assert catalog_problems(tmp_path / "nl.po") == [f"{tmp_path / 'nl.po'}: missing"]


def test_a_msgid_the_code_asks_for_but_the_catalog_lacks_is_reported(tmp_path):
    catalog = po(tmp_path, "django.po", 'msgid "Vendor"\nmsgstr "Leverancier"\n')
    fresh = po(tmp_path, "fresh.po", 'msgid "Vendor"\nmsgstr ""\n\nmsgid "Award"\nmsgstr ""\n')
    missing = msgids_missing(catalog, fresh)
    assert len(missing) == 1 and "fresh.po:" in missing[0]
    assert msgids_missing(fresh, catalog) == []


def test_makemessages_on_a_copy_of_the_project_finds_the_marked_strings(tmp_path):
    fresh = catalog_path("nl", "django", extract(tmp_path, "nl"))
    text = fresh.read_text(encoding="utf-8")
    # a template string, a model choice, a pure module's gettext_noop, a plural
    for msgid in (
        'msgid "Problems"',
        'msgid "Awarded"',
        'msgid "The file is empty."',
        'msgid_plural "Ingested %(count)s rows."',
    ):
        assert msgid in text, msgid
