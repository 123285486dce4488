"""Argument checks shared by the services; each failure says how to fix the call."""

from __future__ import annotations

import re
from datetime import date, timedelta

from devlore.errors import InvalidArgument
from devlore.layout import check_relative
from devlore.model import LEVELS, Level
from devlore.names import name_key, refuse_controls, slugify

__all__ = ["MAX_ARG_BYTES", "check_size", "check_text", "day", "level", "name", "one_line", "text"]

MAX_ARG_BYTES = 100_000
_STRUCTURAL = re.compile(
    r"^ {0,3}(?:#{1,2}(?:\s|$)|([-*_])(?: *\1){2,} *$"
    r"|\*\*(?:Confidence|Based on|Last reinforced|Examples|Source experiences):\*\*)"
)
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_text(arg: str, value: object) -> None:
    """Refuse control and invisible characters anywhere in a write tool's argument (nested
    lists and objects too, named like ``new_patterns[0].name``); newlines and tabs are left to
    the field's own rule (``one_line`` refuses them)."""
    if isinstance(value, str):
        refuse_controls(arg, value.replace("\r", "\n"), multiline=True)  # text() turns CRLF into LF
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            check_text(f"{arg}[{i}]", item)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(f"{arg}.{key}", item)
    elif hasattr(value, "__dict__"):  # an argument object (new_patterns items)
        check_text(arg, vars(value))


def check_size(arg: str, value: object) -> None:
    """Refuse any string (or list of strings) argument over 100 KB."""
    size = 0
    if isinstance(value, str):
        size = len(value.encode("utf-8"))
    elif isinstance(value, list | tuple):
        size = sum(len(str(v).encode("utf-8")) for v in value)
    elif isinstance(value, dict):
        size = len(str(value).encode("utf-8"))
    if size > MAX_ARG_BYTES:
        raise InvalidArgument(
            f"Argument '{arg}' is {size:,} bytes; the limit is {MAX_ARG_BYTES:,}. "
            "Summarise it, or keep the long text in a file and refer to its path."
        )


def day(value: str | None, default: date, arg: str = "date") -> str:
    """A ``YYYY-MM-DD`` day, ``default`` (today) when omitted; a day more than one day after
    today is refused (one day of slack for a caller in another time zone)."""
    if value is None or value == "":
        return default.isoformat()
    if not _DAY.match(value.strip()):
        raise InvalidArgument(f"Invalid {arg} {value!r}: use YYYY-MM-DD, e.g. {default.isoformat()}.")
    try:
        when = date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidArgument(f"Invalid {arg} {value!r}: no such day. Use YYYY-MM-DD.") from None
    if when > default + timedelta(days=1):
        raise InvalidArgument(
            f"Invalid {arg} {value!r}: it is in the future (today is {default.isoformat()}). "
            "Give the day it happened, or omit it for today."
        )
    return when.isoformat()


def level(value: str | None) -> Level | None:
    if value is None or value == "":
        return None
    up = value.strip().upper()
    if up not in LEVELS:
        raise InvalidArgument(f"Invalid level {value!r}: use one of {', '.join(LEVELS)}, or omit it to re-rate.")
    return up


def one_line(arg: str, value: str, limit: int = 2000) -> str:
    v = value.strip()
    if not v:
        raise InvalidArgument(f"'{arg}' is empty; give one line of text.")
    if "\n" in v or "\r" in v:
        raise InvalidArgument(f"'{arg}' must be a single line; join the lines or shorten it.")
    refuse_controls(arg, v)
    if len(v) > limit:
        raise InvalidArgument(f"'{arg}' is {len(v)} characters; keep it under {limit}.")
    return v


def name(arg: str, value: str) -> str:
    """A pattern or workflow name: one line in any script, not a heading, with a letter or digit."""
    v = one_line(arg, value, limit=120)
    if v.startswith("#"):
        raise InvalidArgument(f"'{arg}' {value!r} must not start with '#'; give the name without it.")
    if not name_key(v) or not slugify(v):
        raise InvalidArgument(f"'{arg}' {value!r} needs at least one letter or digit (in any script).")
    return v


def text(arg: str, value: str, required: bool = True) -> str:
    """Free multi-line text; line endings are normalised by the writer."""
    v = refuse_controls(arg, value.replace("\r\n", "\n").replace("\r", "\n").strip("\n"), multiline=True)
    if required and not v.strip():
        raise InvalidArgument(f"'{arg}' is empty; describe it in a sentence or two.")
    if sum(1 for line in v.split("\n") if _FENCE.match(line)) % 2:
        raise InvalidArgument(f"'{arg}' opens a code fence (```) it never closes; close it or remove it.")
    for line in v.split("\n"):
        if _STRUCTURAL.match(line):
            raise InvalidArgument(
                f"'{arg}' has the line {line.strip()!r}, which would change the file's structure; "
                "use ### or deeper headings, no '---' lines and no pattern header fields inside it."
            )
    return v


def source(value: str | None) -> str | None:
    """A source experience path: relative to the root and inside it."""
    if not value:
        return None
    return check_relative(one_line("source_experience", value, 500))
