"""Names that could be mistaken for one another (Unicode UTS #39 "confusable" skeletons).

`skeleton(name)` follows UTS #39 section 4: NFD, every character replaced by the prototype of
its confusable class, NFD again; here also case-insensitive (the skeleton is case-folded and
mapped once more) and blind to spacing. Two names with the same skeleton look alike:
"Northwind Contact ВV" (Cyrillic В) and "Northwind Contact BV", or "Nοrthwind" with a Greek
omicron. The prototypes come from Unicode's confusables.txt as the maintained
`confusable-homoglyphs` package ships it (pinned in pyproject.toml). A character confusable with
a sequence ("m" and "rn") maps to that sequence.

`mixed_scripts(name)` names the letter scripts a name mixes among those whose letters are
lookalikes of each other (Latin, Greek, Cyrillic, Armenian, Cherokee): "Nοrthwind" mixes Latin
and Greek. Digits, punctuation and marks (Unicode's Common and Inherited) mix with anything.
"""

import unicodedata
from functools import cache

from confusable_homoglyphs import (  # type: ignore[import-untyped]
    categories,
    confusables,
)

LOOKALIKE_SCRIPTS = frozenset({"LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "CHEROKEE"})
_MARKS = "\u200e\u200f"  # the data wraps right-to-left characters in direction marks


@cache
def _prototypes() -> dict[str, str]:
    """Each confusable character and the prototype it stands for in a skeleton.

    The package lists every confusables.txt line "source ; prototype" both ways: a source has
    its prototype as its only entry, a prototype has all its sources. A pair that lists only
    each other is one source and one prototype, either way round for a comparison.
    """
    data: dict[str, list[dict[str, str]]] = confusables.confusables_data
    entries = {char: [entry["c"].strip(_MARKS) for entry in found] for char, found in data.items()}
    mapping: dict[str, str] = {}
    for char, targets in entries.items():
        if len(char) != 1 or len(targets) != 1 or not targets[0]:
            continue  # a prototype (many sources), or nothing usable
        target = targets[0]
        if (
            len(target) > 1
            or len(entries.get(target, [])) > 1
            or entries.get(target) == [char]
            and _rank(char) > _rank(target)
        ):
            mapping[char] = target
    return mapping


def _rank(c: str) -> tuple[bool, int]:
    return (not c.isascii(), ord(c))


def _map(text: str) -> str:
    table = _prototypes()
    mapped = "".join(table.get(c, c) for c in unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", mapped)


def skeleton(name: str) -> str:
    """What the name looks like (mapped, case-folded, mapped again, without spaces)."""
    return "".join(_map(_map(name).casefold()).split())


def skeletons(name: str) -> frozenset[str]:
    """The name's skeleton, and its case-folded form's: UTS #39 maps "I" to "l" but "i" to
    itself, and Cyrillic "В" to "B" but "в" to nothing, so case is folded both before and
    after mapping for a comparison that ignores case."""
    return frozenset({skeleton(name), skeleton(name.casefold())})


def look_alike(a: str, b: str) -> bool:
    """Whether a reader can mistake one name for the other."""
    return not skeletons(a).isdisjoint(skeletons(b))


def mixed_scripts(name: str) -> list[str]:
    """The lookalike scripts the name's letters come from, when there is more than one."""
    found: set[str] = set()
    for c in name:
        if c.isalpha():
            found.add(categories.alias(c))
    mixed = sorted(found & LOOKALIKE_SCRIPTS)
    return [s.capitalize() for s in mixed] if len(mixed) > 1 else []
