"""Episodic notes: read any shape (frontmatter or not), write the shape of docs/FORMAT.md, '4. Episodes'."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from devlore.codec import frontmatter
from devlore.codec.structure import outline
from devlore.codec.text import BOM, Doc

__all__ = ["Episode", "EpisodeDraft", "core", "parse", "render"]

_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)\.md$")


@dataclass(frozen=True)
class Episode:
    path: str
    date: str | None
    slug: str
    title: str
    meta: dict[str, Any]
    body: str


def parse(path: str, text: str) -> Episode:
    """Date and slug from the file name, title from the first H1 (else the slug).

    Raises ``frontmatter.FrontmatterError`` when a frontmatter block is broken.
    """
    name = path.rsplit("/", 1)[-1]
    m = _NAME.match(name)
    day, slug = (m.group(1), m.group(2)) if m else (None, name.removesuffix(".md"))
    lines = Doc.parse(text).bodies()
    meta: dict[str, Any] = {}
    body = text
    if frontmatter.span(lines) is not None:
        meta, body = frontmatter.read(text)
    heads = outline(Doc.parse(body.removeprefix(BOM)).bodies()).h(1)
    title = heads[0].text if heads else slug.replace("-", " ")
    when = str(meta.get("date")) if meta.get("date") else day
    return Episode(path=path, date=when, slug=slug, title=title, meta=meta, body=body)


@dataclass(frozen=True)
class EpisodeDraft:
    title: str
    project: str
    date: str
    work_type: str
    goal: str
    what_happened: str
    solution: str
    result: str
    duration: str | None = None
    time_saved_minutes: int | None = None
    quality: int | None = None
    next_time: str | None = None
    applied: tuple[str, ...] = ()
    learnings: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    patterns: tuple[str, ...] = field(default=())


def core(d: EpisodeDraft) -> tuple[str, ...]:
    """Stretches of a rendered episode that depend only on what the caller sent (its heading
    through its solution, and its result line): a file holding them all records the same
    experience, which is how a retried call is recognised."""
    text = render(
        EpisodeDraft(d.title, d.project, d.date, d.work_type, d.goal, d.what_happened, d.solution, d.result, d.duration)
    )
    return text[text.index("\n# ") + 1 : text.index("\n\n## Outcome") + 1], f"**Result:** {d.result}\n"


def render(d: EpisodeDraft, newline: str = "\n") -> str:
    meta: dict[str, object] = {
        "date": d.date,
        "project": d.project,
        "work_type": d.work_type,
        "patterns": list(d.patterns),
        "result": d.result,
    }
    lines = [
        *frontmatter.render(meta),
        "",
        f"# {d.title} - {d.project} - {d.date}",
        "",
        "## Context",
        f"**Project:** {d.project}",
        f"**Goal:** {d.goal}",
    ]
    if d.duration:
        lines.append(f"**Duration:** {d.duration}")
    lines += ["", "## What Happened", *d.what_happened.split("\n"), "", "## Solution", *d.solution.split("\n")]
    if d.applied:
        lines += ["", "## Patterns Applied", *(f"- **{name}** (from semantic memory)" for name in d.applied)]
    if d.learnings:
        lines += ["", "## Learnings Extracted", *(f"- {item}" for item in d.learnings)]
    lines += ["", "## Outcome", f"**Result:** {d.result}"]
    if d.time_saved_minutes is not None:
        lines.append(f"**Time saved:** {d.time_saved_minutes} min")
    if d.quality is not None:
        lines.append(f"**Quality:** {d.quality}/10")
    if d.links:
        lines += ["", "## Linked Patterns", *d.links]
    if d.next_time:
        lines += ["", "## Next Time", *d.next_time.split("\n")]
    return newline.join(lines) + newline
