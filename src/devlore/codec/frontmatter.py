"""YAML frontmatter: read with python-frontmatter, written by hand.

python-frontmatter is not a lossless writer (it re-sorts keys and drops comments), so devlore
only ever *renders* frontmatter for files it creates, and edits single lines in place.
"""

from __future__ import annotations

import json
import re
from typing import Any

import frontmatter
import yaml

from devlore.codec.text import BOM

__all__ = ["FrontmatterError", "read", "render", "scalar", "span"]

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 _.,()/+#&'-]*$")
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


class FrontmatterError(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def span(lines: list[str]) -> tuple[int, int] | None:
    """Line range (opening ``---``, closing ``---``) of a frontmatter block, if the file has one."""
    if not lines or lines[0].removeprefix(BOM).rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return (0, i)
    return None


def read(text: str) -> tuple[dict[str, Any], str]:
    """Metadata and content; a broken block raises ``FrontmatterError`` with its line."""
    try:
        post = frontmatter.loads(text.removeprefix(BOM))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise FrontmatterError(line, f"invalid YAML frontmatter: {getattr(exc, 'problem', exc)}") from exc
    meta = post.metadata
    if not isinstance(meta, dict):
        raise FrontmatterError(1, "frontmatter is not a mapping of keys to values")
    return dict(meta), post.content


def scalar(value: object) -> str:
    """One YAML scalar that reads back as the same value (JSON strings are valid YAML)."""
    s = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return s  # a YAML date, as people write them
    if _PLAIN.match(s) and s.lower() not in _RESERVED and not s.endswith(" ") and ": " not in s and " #" not in s:
        return s
    quoted = json.dumps(s, ensure_ascii=False)
    # JSON leaves these raw; YAML cannot read some of them and folds others, so escape them.
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def render(meta: dict[str, object]) -> list[str]:
    """Frontmatter lines, keys in the order given; lists become block sequences."""
    out = ["---"]
    for key, value in meta.items():
        if isinstance(value, list | tuple):
            out.append(f"{key}:" if value else f"{key}: []")
            out += [f"  - {scalar(v)}" for v in value]
        else:
            out.append(f"{key}: {scalar(value)}")
    out.append("---")
    return out
