"""``promote_to_workflow``: a HIGH pattern becomes a procedural workflow."""

from __future__ import annotations

import re

from devlore.codec import workflows
from devlore.errors import AlreadyExists, InvalidTransition
from devlore.layout import WORKFLOWS
from devlore.model import WorkflowResult, examples_needed
from devlore.names import name_key
from devlore.service import health, validate
from devlore.service.brain import Brain

__all__ = ["promote_to_workflow"]

_ITEM = re.compile(r"^\s*(?:[-*]|\d+[.)])\s+(.*)$")


def _derived_steps(block: str) -> list[str]:
    """Steps from the pattern's own text: its list items, else its sentences."""
    items = [m.group(1).strip() for line in block.splitlines() if (m := _ITEM.match(line))]
    if items:
        return items
    prose = " ".join(line.strip() for line in block.splitlines() if line.strip() and not line.startswith("```"))
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", prose) if s.strip()]


def _first_sentence(block: str, limit: int = 300) -> str:
    flat = " ".join(block.split())
    first = re.split(r"(?<=[.!?])\s", flat, maxsplit=1)[0]
    return first if len(first) <= limit else first[: limit - 1] + "…"


def promote_to_workflow(
    brain: Brain,
    pattern: str,
    steps: list[str] | None = None,
    checklist: list[str] | None = None,
    when_to_use: str | None = None,
    estimated_time: str | None = None,
    domain: str | None = None,
) -> WorkflowResult:
    ref = brain.find(pattern, domain)
    e = ref.entry
    if e.evidence != "HIGH":
        missing = examples_needed("HIGH") - len(e.examples)
        raise InvalidTransition(
            f"'{e.name}' has {len(e.examples)} examples ({e.evidence} evidence); only HIGH patterns "
            f"(5+ examples) become workflows, so {missing} more {'is' if missing == 1 else 'are'} missing. "
            "Reinforce it with add_example first."
        )
    rel = f"{WORKFLOWS}/{e.slug}.md"
    lines = ref.file.lines
    label = "pattern" if e.format == "A" else "description"
    chosen = [validate.one_line("steps", s) for s in steps] if steps else _derived_steps(e.block_text(lines, label))
    chosen = chosen or [f"Apply {e.name} as described in the source pattern"]
    when = when_to_use or _first_sentence(e.block_text(lines, "context" if e.format == "A" else "when to use"))
    text = workflows.render(
        title=e.name,
        when=validate.one_line("when_to_use", when or "See the source pattern.", 1000),
        estimated=validate.one_line("estimated_time", estimated_time) if estimated_time else "not measured yet",
        last_used=e.last_reinforced or brain.today().isoformat(),
        source=f"{ref.path}#{e.slug}",
        steps=chosen,
        checklist=[validate.one_line("checklist", c) for c in checklist or []],
    )
    key = name_key(e.name)
    for other in brain.store.glob(WORKFLOWS):
        if other != rel and name_key(other.rsplit("/", 1)[-1].removesuffix(".md")) == key:
            raise AlreadyExists(
                f"{other} is a workflow for a name too close to '{e.name}'; edit it, or remove it first."
            )
    with brain.transaction(rel) as files:
        if files[rel] is not None:
            raise AlreadyExists(f"{rel} exists already; edit it, or remove it first if it should be regenerated.")
        files[rel] = text
    health.after_write(brain, [])
    return WorkflowResult(name=e.name, path=rel, source_pattern=f"{ref.path}#{e.slug}", steps=len(chosen))
