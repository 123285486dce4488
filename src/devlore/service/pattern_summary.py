"""A pattern as a list shows it: its summary (levels, counts, staleness, drift, decay), and
the filters ``list_patterns`` keeps it by."""

from __future__ import annotations

from datetime import date

from devlore.codec.drift import entry_drift, footer_drift
from devlore.codec.pattern_entry import Entry
from devlore.codec.pattern_revise import COUNTER, bullets
from devlore.codec.patterns import PatternFile
from devlore.model import Level, PatternSummary, decayed, is_stale, lower
from devlore.service.brain import PatternRef
from devlore.service.next_steps import last_seen

__all__ = ["drift", "kept", "summary"]


def summary(ref: PatternRef, stale_days: int = 90, today: object = None, decay: int | None = None) -> PatternSummary:
    e = ref.entry
    day = today if isinstance(today, date) else date.today()
    return PatternSummary(
        name=e.name,
        slug=e.slug,
        domain=ref.domain,
        path=ref.path,
        confidence=e.stated,
        evidence_level=e.evidence,
        examples=e.example_count,
        last_reinforced=e.last_reinforced,
        stale=is_stale(e.last_reinforced, day, stale_days),
        drift=drift(ref),
        counter_examples=len(bullets(ref.file, e, COUNTER)),
        decayed=decayed(last_seen(e), day, decay),
    )


_FOOTERS: dict[int, tuple[PatternFile, str | None]] = {}  # by parse: a page shows many entries of one file


def _footer(pf: PatternFile) -> str | None:
    """``footer_drift`` of one parse, worked out once (it counts every entry of the file)."""
    kept = _FOOTERS.get(id(pf))
    if kept is None or kept[0] is not pf:
        if len(_FOOTERS) > 64:
            _FOOTERS.clear()
        kept = _FOOTERS[id(pf)] = (pf, (footer_drift(pf) or (0, None))[1])
    return kept[1]


def drift(ref: PatternRef) -> str | None:
    """What the entry, or its file's footer, states that the examples contradict; the next
    write to the file repairs it."""
    found = [entry_drift(ref.entry), _footer(ref.file)]
    return "; ".join(d for d in found if d) or None


def kept(
    e: Entry, wanted: Level | None, stale_days: int | None, mismatched: bool, today: date, decay: int | None
) -> bool:
    """``list_patterns``' filters; under decay a pattern's level filter sees it one level lower."""
    stated, evidence = e.stated, e.evidence
    ranked = lower(evidence) if decayed(last_seen(e), today, decay) else evidence
    if wanted and (stated or ranked) != wanted and ranked != wanted:
        return False
    if stale_days is not None and not is_stale(e.last_reinforced, today, stale_days):
        return False
    return not (mismatched and stated == evidence)
