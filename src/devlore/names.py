"""Pure rules for the names and text people and assistants give devlore.

- ``name_key``: when two names are the same name (docs/FORMAT.md, '2.6 Clean names and text').
- ``slugify``: the slug of a name, in any script, stable and unique enough for a file name.
- ``refuse_controls``: the characters no name, title or line of text may hold.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from devlore.errors import InvalidArgument

__all__ = ["CONFUSABLES", "control_at", "counted", "name_key", "refuse_controls", "slugify"]

# Letters of other scripts that look like a Latin letter, by their lower-case form (the key is
# case-folded first). A curated table of the Cyrillic and Greek look-alikes, not Unicode's full
# confusables list; fullwidth and other compatibility forms are already folded by NFKC.
CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "н": "h", "і": "i", "ї": "i", "ј": "j", "к": "k",
    "ӏ": "l", "м": "m", "о": "o", "р": "p", "с": "c", "ѕ": "s", "т": "t", "у": "y", "х": "x", "ԁ": "d",
    "ԛ": "q", "ԝ": "w",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "m", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ζ": "z", "ϲ": "c", "ϳ": "j",
    # Latin letters that pass for others
    "ı": "i", "ɑ": "a", "ɡ": "g", "ʟ": "l", "ſ": "s",
}  # fmt: skip
_FOLD = str.maketrans(CONFUSABLES)

# Code points refused in every name and line of text: controls (C0, C1, DEL), format
# characters (bidi overrides and isolates, zero-width spaces and joiners, the BOM, the soft
# hyphen), the line and paragraph separators, and lone surrogates (not encodable as UTF-8).
_REFUSED = ("Cc", "Cf", "Zl", "Zp", "Cs")
_MULTILINE_OK = frozenset("\n\t")


def name_key(name: str) -> str:
    """What two names must differ in to be two names: NFKC, case folding, confusable letters
    mapped to Latin, and only letters and digits kept (punctuation, spaces, marks dropped).
    ``N+1 Query Prevention``, ``N 1 query prevention`` and ``Ｎ+1 Query Рrevention`` share a key."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return "".join(ch for ch in folded.translate(_FOLD) if unicodedata.category(ch)[0] in "LN")


def control_at(text: str, multiline: bool = False) -> int | None:
    """The index of the first refused character in ``text``, or None."""
    for i, ch in enumerate(text):
        if unicodedata.category(ch) in _REFUSED and not (multiline and ch in _MULTILINE_OK):
            return i
    return None


def refuse_controls(field: str, text: str, multiline: bool = False) -> str:
    """``text`` unchanged, or ``InvalidArgument`` naming the first refused code point.

    Multi-line text keeps newlines and tabs; everything in ``_REFUSED`` is refused everywhere."""
    i = control_at(text, multiline)
    if i is None:
        return text
    ch = text[i]
    what = unicodedata.name(ch, "a control character")
    keep = "; newlines and tabs are allowed" if multiline else ""
    raise InvalidArgument(
        f"'{field}' contains U+{ord(ch):04X} ({what}) at character {i + 1}: invisible and control "
        f"characters are not allowed{keep}. Remove it and call again."
    )


_SLUG_BYTES = 100  # a slug is also a file name (workflows, episodes): well under 255 bytes


def _latin_only(name: str) -> bool:
    """Every letter and digit is ASCII or a Latin letter (``é``, ``ß``, fullwidth ``Ａ``)."""
    return all(ord(ch) < 128 or "LATIN" in unicodedata.name(ch, "") for ch in name if ch.isalnum())


def slugify(name: str) -> str:
    """The slug of a name (docs/FORMAT.md, '2.5 Names, slugs and lookup').

    Latin names (after NFKC, so ``ﬁ`` is ``fi`` and fullwidth is ASCII): lower-case,
    whitespace to ``-``, keep ``[a-z0-9-]``, collapse and trim ``-`` (the slugs every existing
    brain already has). Names with letters of other scripts, or with no ASCII letter or digit
    left (``À``), keep their letters: case folded, whitespace to ``-``, letters, marks, digits
    and ``-`` kept, so ``Ошибка в логах`` is ``ошибка-в-логах``; one longer than 100 bytes is
    cut and ends with a hash of the whole, so it stays unique."""
    name = unicodedata.normalize("NFKC", name)
    if slug := _ascii_slug(name):
        return slug
    folded = re.sub(r"\s+", "-", unicodedata.normalize("NFKC", name.casefold()))
    kept = ""
    for ch in folded:  # a mark is kept only on a letter or digit, as it was written
        kind = unicodedata.category(ch)[0]
        if ch == "-" or kind in "LN" or (kind == "M" and kept[-1:] not in ("", "-")):
            kept += ch
    slug = re.sub(r"-{2,}", "-", kept).strip("-")
    if again := _ascii_slug(slug):  # case folding gave ASCII letters (``ß`` is ``ss``): stay stable
        return again
    if len(slug.encode("utf-8")) <= _SLUG_BYTES:
        return slug
    digest = hashlib.blake2s(slug.encode("utf-8"), digest_size=4).hexdigest()
    cut = slug.encode("utf-8")[: _SLUG_BYTES - 9].decode("utf-8", "ignore").rstrip("-")
    return f"{cut}-{digest}"


def _ascii_slug(name: str) -> str:
    """A Latin name's slug: lower case, whitespace to ``-``, only ``[a-z0-9-]`` kept ("" when
    the name has another script's letters, or nothing is left)."""
    if not _latin_only(name):
        return ""
    slug = re.sub(r"[^a-z0-9-]", "", re.sub(r"\s+", "-", name.lower()))
    return re.sub(r"-{2,}", "-", slug).strip("-")


def counted(n: int, word: str) -> str:
    """``1 experience``, ``2 experiences``: a count in words people read."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
