"""Procedural workflows (docs/FORMAT.md, '5. Workflows'): read the header fields and lists, render new ones."""

from __future__ import annotations

import re
from dataclasses import dataclass

from devlore.codec.structure import outline
from devlore.codec.text import Doc

__all__ = ["Workflow", "parse", "render"]

_FIELD = re.compile(r"^\*\*([^*]+?):\*\*\s*(.*)$")
_STEP = re.compile(r"^\d+[.)]\s+(.*)$")
_CHECK = re.compile(r"^[-*]\s+\[[ xX]\]\s+(.*)$")


@dataclass(frozen=True)
class Workflow:
    path: str
    title: str
    fields: dict[str, str]
    steps: tuple[str, ...]
    checklist: tuple[str, ...]

    @property
    def source_pattern(self) -> str | None:
        return self.fields.get("source pattern")


def parse(path: str, text: str) -> Workflow:
    lines = Doc.parse(text).bodies()
    out = outline(lines)
    title = next((h.text for h in out.headings if h.level == 1), path.rsplit("/", 1)[-1].removesuffix(".md"))
    fields: dict[str, str] = {}
    steps: list[str] = []
    checklist: list[str] = []
    section = ""
    for i, line in enumerate(lines):
        if i in out.code:
            continue
        if line.startswith("## "):
            section = line[3:].strip().lower()
        elif not section and (m := _FIELD.match(line)):
            fields.setdefault(m.group(1).strip().lower(), m.group(2).strip())
        elif section == "steps" and (m := _STEP.match(line)):
            steps.append(m.group(1).strip())
        elif section == "checklist" and (m := _CHECK.match(line)):
            checklist.append(m.group(1).strip())
    return Workflow(path, title, fields, tuple(steps), tuple(checklist))


def render(
    title: str,
    when: str,
    estimated: str,
    last_used: str,
    source: str,
    steps: list[str],
    checklist: list[str],
    newline: str = "\n",
) -> str:
    lines = [
        f"# {title}",
        "",
        f"**When to use:** {when}",
        f"**Estimated time:** {estimated}",
        f"**Last used:** {last_used}",
        f"**Source pattern:** {source}",
        "",
        "## Steps",
        *(f"{i}. {s}" for i, s in enumerate(steps, 1)),
    ]
    if checklist:
        lines += ["", "## Checklist", *(f"- [ ] {c}" for c in checklist)]
    return newline.join(lines) + newline
