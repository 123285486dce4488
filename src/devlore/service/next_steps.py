"""What is due for each pattern (a workflow, a re-check, a few more uses), and the footer's
``**Next steps:**`` lines devlore keeps true from it (docs/FORMAT.md, '3.4 Next steps').

One source for both: ``service.suggest`` words these facts as suggestions, and every write of a
pattern file rewrites devlore's own next-step lines from them in the same write as the footer
counts. A person's lines in the list are never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from devlore.codec import workflows
from devlore.codec.pattern_edits import NEXT_STEP
from devlore.codec.pattern_entry import Entry
from devlore.codec.pattern_revise import COUNTER, bullets
from devlore.codec.patterns import PatternFile
from devlore.codec.text import Splice
from devlore.errors import DevloreError
from devlore.layout import WORKFLOWS
from devlore.model import examples_needed
from devlore.service.brain import Brain

__all__ = ["Due", "due", "last_seen", "step_splices", "with_steps", "workflow_slugs"]

STALE_DAYS = 90
RECENT_DAYS = 30
_HEAD = "**Next steps:**"


@dataclass(frozen=True)
class Due:
    kind: str  # "revalidate" (stale or countered), "promote" or "almost"
    name: str
    examples: int
    last: str | None
    counters: tuple[str, ...] = ()

    @property
    def short(self) -> int:
        return examples_needed("HIGH") - self.examples


def last_seen(entry: Entry) -> str | None:
    """The newest example's date, else ``Last reinforced``."""
    dates = [x.date for x in entry.examples if x.date]
    return max([*dates, (entry.last_reinforced or "")[:10]]) or None


def due(pf: PatternFile, entry: Entry, today: date, flows: set[str]) -> list[Due]:
    n, level, last = entry.example_count, entry.evidence, last_seen(entry)
    counters = tuple(bullets(pf, entry, COUNTER))
    out: list[Due] = []
    if level == "HIGH" and (not last or last < (today - timedelta(days=STALE_DAYS)).isoformat()):
        out.append(Due("revalidate", entry.name, n, last))
    if counters and len(counters) * 2 >= n:
        out.append(Due("revalidate", entry.name, n, last, counters))
    if level == "HIGH" and entry.slug not in flows:
        out.append(Due("promote", entry.name, n, last))
    recent = (today - timedelta(days=RECENT_DAYS)).isoformat()
    if level == "MEDIUM" and n + 2 >= examples_needed("HIGH") and last and last >= recent:
        out.append(Due("almost", entry.name, n, last))
    return out


def workflow_slugs(brain: Brain) -> set[str]:
    """The patterns that have a workflow: its file's slug and its ``Source pattern`` anchor."""
    out: set[str] = set()
    for rel in brain.store.glob(WORKFLOWS):
        out.add(rel.rsplit("/", 1)[-1].removesuffix(".md"))
        try:
            source = brain.derived(rel, "workflow", workflows.parse).source_pattern
        except DevloreError:
            continue
        if source:
            out.add(source.rsplit("#", 1)[-1].strip())
    return out


def _line(d: Due) -> str:
    if d.kind == "promote":
        return f'- Consider a workflow for "{d.name}" (HIGH, {d.examples} examples)'
    if d.kind == "almost":
        return f'- Review "{d.name}" after {d.short} more use{"s" if d.short > 1 else ""} (then HIGH)'
    if d.counters:
        n, c = d.examples, len(d.counters)
        return (
            f'- Validate "{d.name}" ({c} counter-example{"s" if c > 1 else ""} for {n} example{"s" if n > 1 else ""})'
        )
    return f'- Check "{d.name}" still holds (no example since {d.last or "ever"})'


def _block(pf: PatternFile) -> tuple[int, int] | None:
    """The footer's ``**Next steps:**`` list: the label line and one past its last item."""
    starts = {e.start for e in pf.entries}
    last_end = max((e.end for e in pf.entries), default=0)
    for i in range(last_end, len(pf.lines)):
        if pf.lines[i].strip() == _HEAD and i not in pf.outline.code and i not in starts:
            j = i + 1
            while j < len(pf.lines) and pf.lines[j].lstrip().startswith(("- ", "* ")):
                j += 1
            return i, j
    return None


def step_splices(pf: PatternFile, today: date, flows: Callable[[], set[str]]) -> list[Splice]:
    """devlore's next-step lines rewritten from what is due now, after the person's own lines;
    nothing when the file has no Next steps list or nothing changed."""
    block = _block(pf)
    if block is None:
        return []
    head, end = block
    items = pf.lines[head + 1 : end]
    theirs = [line for line in items if not NEXT_STEP.match(line)]
    known = flows()
    ours = [_line(d) for e in pf.entries for d in due(pf, e, today, known)]
    if [*theirs, *ours] == items:
        return []
    return [Splice(head + 1, end, (*theirs, *ours))]


def with_steps(pf: PatternFile, today: str, brain: Brain | None) -> PatternFile:
    """``pf`` (a file just edited) with its next steps made true; as it is without a brain."""
    if brain is None:
        return pf
    steps = step_splices(pf, date.fromisoformat(today), lambda: workflow_slugs(brain))
    return pf.edited(steps) if steps else pf
