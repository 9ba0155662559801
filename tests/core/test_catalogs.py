"""The message catalogs: one locale/ with a django and a djangojs catalog per language, .po
committed and .mo built; the picker offers a language exactly when its catalogs are complete."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from core.i18n import offered_languages

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
needs_msgfmt = pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext is not installed")


def statistics(po: Path) -> dict[str, int]:
    """msgfmt's counts of translated, fuzzy and untranslated messages."""
    run = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", run.stderr):
        counts[kind] = int(number)
    return counts


def complete(code: str) -> bool:
    return all(
        statistics(LOCALE / code / "LC_MESSAGES" / f"{domain}.po")["fuzzy"] == 0
        and statistics(LOCALE / code / "LC_MESSAGES" / f"{domain}.po")["untranslated"] == 0
        for domain in ("django", "djangojs")
    )


def test_the_product_speaks_english_dutch_romanian_and_spanish_only():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "nl", "ro", "es"]


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_language_has_both_catalogs_committed(code):
    for domain in ("django", "djangojs"):
        assert (LOCALE / code / "LC_MESSAGES" / f"{domain}.po").is_file()


@needs_msgfmt
@pytest.mark.parametrize("code", TRANSLATED)
def test_a_language_is_offered_exactly_when_its_catalogs_are_complete(code):
    assert (code in settings.COMPLETE_LANGUAGES) == complete(code), (
        f"{code}: add it to or remove it from settings.COMPLETE_LANGUAGES (docs/i18n.md)"
    )


def test_english_is_always_offered_and_incomplete_languages_are_not(settings):
    settings.COMPLETE_LANGUAGES = []
    assert [code for code, _name in offered_languages()] == ["en"]
    settings.COMPLETE_LANGUAGES = ["ro"]
    assert [code for code, _name in offered_languages()] == ["en", "ro"]


@needs_msgfmt
def test_the_test_session_built_every_catalog():
    for po in LOCALE.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        assert mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime


@pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")
def test_no_compiled_catalog_is_committed():
    listed = subprocess.run(
        ["git", "ls-files", "locale"], cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    assert not [name for name in listed.stdout.split() if name.endswith(".mo")]
