"""Checking gettext catalogs with GNU gettext's own tools (tests/core/test_catalogs.py)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

LANGUAGES = ("nl", "ro", "es")
DOMAINS = ("django", "djangojs")
_COUNTS = re.compile(r"(\d+) (translated|fuzzy|untranslated)")
# What a copy of the project needs for makemessages: the code and the templates.
_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "var", "locale", "media", "vendor", "bench", "tests", "__pycache__", "*.pyc"
)


def catalog_path(language: str, domain: str, root: Path | None = None) -> Path:
    base = root or Path(settings.LOCALE_PATHS[0])
    return base / language / "LC_MESSAGES" / f"{domain}.po"


def catalog_problems(po: Path) -> list[str]:
    """Why a .po file is not complete: msgfmt --check errors, untranslated or fuzzy entries."""
    if not po.exists():
        return [f"{po}: missing"]
    run = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    problems = [f"{po}: {line}" for line in run.stderr.splitlines() if run.returncode and line]
    counts = {kind: int(n) for n, kind in _COUNTS.findall(run.stderr)}
    for kind in ("untranslated", "fuzzy"):
        if counts.get(kind):
            problems.append(f"{po}: {counts[kind]} {kind}")
    return problems


def msgids_missing(po: Path, extracted: Path) -> list[str]:
    """The msgids of `extracted` (a fresh makemessages) that `po` lacks, as msgcmp lists them."""
    if not extracted.exists():
        return []
    run = subprocess.run(
        ["msgcmp", "--use-untranslated", str(po), str(extracted)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return [line for line in run.stderr.splitlines() if "but not defined" in line]


def extract(tmp: Path, language: str) -> Path:
    """makemessages run on a copy of the project: the catalogs the current code asks for."""
    copy = tmp / "project"
    if not copy.exists():
        shutil.copytree(settings.BASE_DIR, copy, ignore=_NOT_COPIED, symlinks=True)
        (copy / "locale").mkdir()
    for domain in DOMAINS:
        command = [sys.executable, "manage.py", "makemessages", "-l", language, "-d", domain]
        if domain == "django":
            command += ["--ignore", "tests/*", "--ignore", "bench/*"]
        subprocess.run(command, cwd=copy, capture_output=True, text=True, check=True)
    return copy / "locale"
