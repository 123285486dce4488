"""Merging one server entry into a host's own configuration file, JSON or TOML, without
disturbing anything else in it.

JSON is parsed with the standard library (which keeps key order) and written back with the
indentation the file already uses; TOML is checked with ``tomllib`` and only devlore's own
table is replaced or appended as text, so every other byte of the file stays as it was. A file
that does not parse is refused with the reason, never overwritten. Writes keep the file's
permission bits, leave a timestamped copy of the old file beside it, and go through
``files.atomic_write``.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from devlore.errors import DevloreError
from devlore.files import atomic_write

__all__ = ["ConfigError", "Edit", "backup_name", "json_edit", "plan_edit", "toml_edit", "write_edit"]

Json = dict[str, Any]


class ConfigError(DevloreError):
    """A host's configuration file cannot be read or parsed; it was left unchanged."""


@dataclass(frozen=True)
class Edit:
    """What setting one host up changes in one file: ``new`` is None when nothing changes."""

    path: Path
    old: str | None  # None: the file does not exist yet
    new: str | None

    @property
    def changed(self) -> bool:
        return self.new is not None


def read_text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path} is not UTF-8 text; it was left unchanged. Fix or move it, then run setup again."
        ) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}; it was left unchanged.") from exc


def _indent(text: str) -> int | str:
    """The indentation of the file's first indented line (2 spaces when it has none)."""
    m = re.search(r"\n([ \t]+)\S", text)
    if m is None:
        return 2
    lead = m.group(1)
    return lead if "\t" in lead else len(lead)


def _parse_json(path: Path, text: str) -> Json:
    if not text.strip():
        return {}
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}); it was left unchanged. "
            "Fix the file (or move it away), then run setup again."
        ) from exc
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: the top level is not a JSON object; it was left unchanged.")
    return doc


def _table(path: Path, doc: Json, keys: tuple[str, ...]) -> Json:
    """The object at ``keys`` (created when missing), refusing a value of another type."""
    here = doc
    for i, key in enumerate(keys):
        value = here.setdefault(key, {})
        if not isinstance(value, dict):
            where = ".".join(keys[: i + 1])
            raise ConfigError(f"{path}: '{where}' is not an object; it was left unchanged. Fix it by hand.")
        here = value
    return here


def json_edit(path: Path, text: str | None, keys: tuple[str, ...], update: Callable[[Json], bool]) -> Edit:
    """``update`` changes the object at ``keys`` in place and says whether it changed anything."""
    doc = _parse_json(path, text or "")
    if not update(_table(path, doc, keys)):
        return Edit(path, text, None)
    indent = _indent(text) if text else 2
    new = json.dumps(doc, indent=indent, ensure_ascii=False) + ("\n" if not text or text.endswith("\n") else "")
    return Edit(path, text, new)


TRANSPORT = frozenset({"type", "command", "args", "url", "httpUrl", "headers", "bearer_token_env_var"})
"""The keys of a server entry that say how to reach it: devlore's to set. Any other key a person
added to devlore's entry (a timeout, an ``env``) is kept."""


def merged(old: object, entry: Json) -> Json:
    """``entry`` laid over a previous entry: keys keep their places, other keys stay."""
    if not isinstance(old, dict):
        return dict(entry)
    out: Json = {}
    for key, value in old.items():
        if key not in TRANSPORT:
            out[key] = value
        elif key in entry:
            out[key] = entry[key]
    for key, value in entry.items():
        out.setdefault(key, value)
    return out


def put(name: str, entry: Json) -> Callable[[Json], bool]:
    """An update that sets ``name`` to ``entry``, in place when it is there already."""

    def update(table: Json) -> bool:
        new = merged(table.get(name), entry)
        if table.get(name) == new:
            return False
        table[name] = new
        return True

    return update


_HEADER = re.compile(r"^\s*\[(?!\[)([^\]]*)\]\s*(?:#.*)?$")


def _header_keys(line: str) -> list[str] | None:
    m = _HEADER.match(line)
    if m is None:
        return None
    try:
        parsed = tomllib.loads(f"[{m.group(1)}]\n")
    except tomllib.TOMLDecodeError:
        return None
    keys: list[str] = []
    here: Any = parsed
    while isinstance(here, dict) and len(here) == 1:
        key = next(iter(here))
        keys.append(key)
        here = here[key]
    return keys


_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(key: str) -> str:
    return key if _BARE.match(key) else json.dumps(key, ensure_ascii=False)


def _value(path: Path, value: object) -> str:
    """A TOML value written the JSON way, which TOML reads alike for these types."""
    simple = (str, int, float, bool)
    if isinstance(value, simple) or (isinstance(value, list) and all(isinstance(v, simple) for v in value)):
        return json.dumps(value, ensure_ascii=False)
    raise ConfigError(f"{path}: devlore's table holds a value it cannot rewrite ({value!r}); edit it by hand.")


def toml_block(path: Path, keys: tuple[str, ...], entry: Json) -> str:
    """``entry`` as a TOML table (simple values and lists of them; a nested dict as a sub-table)."""
    head = ".".join(_key(k) for k in keys)
    lines = [f"[{head}]"]
    subs: list[tuple[str, Json]] = []
    for key, value in entry.items():
        if isinstance(value, dict):
            subs.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(path, value)}")
    for key, table in subs:
        lines += ["", f"[{head}.{_key(key)}]", *(f"{_key(k)} = {_value(path, v)}" for k, v in table.items())]
    return "\n".join(lines) + "\n"


def toml_edit(path: Path, text: str | None, keys: tuple[str, ...], entry: Json) -> Edit:
    """Set the table at ``keys`` to ``entry``: its lines replaced where they are, else appended."""
    original, text = text, text or ""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path}: not valid TOML ({exc}); it was left unchanged. Fix the file, then run setup again."
        ) from exc
    here = _at(doc, keys)
    entry = merged(here, entry)
    if here == entry:
        return Edit(path, original, None)
    lines = text.splitlines(keepends=True)
    start = end = None
    for i, line in enumerate(lines):
        found = _header_keys(line)
        if found is None:
            continue
        if start is None and found == list(keys):
            start = i
        elif start is not None and end is None and found[: len(keys)] != list(keys):
            end = i
    block = toml_block(path, keys, entry)
    if start is None:
        if here is not None:
            raise ConfigError(
                f"{path}: '{'.'.join(keys)}' is written inline, not as a [table]; it was left unchanged. "
                f"Replace it by hand with:\n{block}"
            )
        sep = "" if not text.strip() or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        new = text + sep + block
    else:
        end = len(lines) if end is None else end
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1  # the blank lines and comments before the next table belong to it
        tail = "".join(lines[end:])
        new = "".join(lines[:start]) + block + tail
    after = tomllib.loads(new)
    if _at(after, keys) != entry or _without(after, keys) != _without(doc, keys):
        raise ConfigError(
            f"{path}: devlore could not place its table safely; it was left unchanged. Add by hand:\n{block}"
        )
    return Edit(path, original, new)


def _at(doc: Json, keys: tuple[str, ...]) -> Any:
    here: Any = doc
    for key in keys:
        here = here.get(key) if isinstance(here, dict) else None
    return here


def _without(doc: Json, keys: tuple[str, ...]) -> Json:
    """A copy of ``doc`` without the value at ``keys`` (and without tables left empty by that)."""
    if not keys:
        return {}
    out = dict(doc)
    inner = out.get(keys[0])
    if len(keys) == 1 or not isinstance(inner, dict):
        out.pop(keys[0], None)
    else:
        rest = _without(inner, keys[1:])
        out[keys[0]] = rest
        if not rest:
            out.pop(keys[0])
    return out


def plan_edit(path: Path, fmt: str, keys: tuple[str, ...], name: str, entry: Json) -> Edit:
    text = read_text(path)
    if fmt == "toml":
        return toml_edit(path, text, (*keys, name), entry)
    return json_edit(path, text, keys, put(name, entry))


def backup_name(path: Path, when: datetime) -> Path:
    """``NAME.YYYYmmdd-HHMMSS.bak`` beside ``path`` (``-2``, ``-3``… when that is taken)."""
    stamp = f"{when:%Y%m%d-%H%M%S}"
    candidate = path.with_name(f"{path.name}.{stamp}.bak")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{stamp}-{n}.bak")
    return candidate


def write_edit(edit: Edit, when: datetime) -> Path | None:
    """Write ``edit`` (keeping the old file's permission bits; through a symlink, to the file it
    names, so a dotfiles link stays a link); returns the backup, if any."""
    if edit.new is None:
        return None
    target = edit.path.resolve()
    mode: int | None = None
    saved: Path | None = None
    if edit.old is not None:
        mode = stat.S_IMODE(target.stat().st_mode)
        saved = backup_name(target, when)
        shutil.copy2(target, saved)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, edit.new.encode("utf-8"), mode=mode)
    return saved
