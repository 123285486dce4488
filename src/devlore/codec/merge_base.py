"""Building blocks of the semantic three-way merge (``devlore.codec.merge``).

A merge is written as ``Piece``s over *ours'* lines, so whatever needed no merging keeps
ours' bytes. Two ways of merging a stretch of text live here: ``merge_region`` (diff3 over
blank-line-separated blocks, for preambles, tails and frontmatter) and keyed ``Part``s (the
labelled fields of one entry, merged field by field by a caller's rules).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal, TypeVar

from devlore.codec.text import Doc, Splice

__all__ = [
    "Found",
    "MergeConflict",
    "MergeError",
    "Merged",
    "Outcome",
    "Part",
    "Piece",
    "Region",
    "apply",
    "assemble",
    "conflict_lines",
    "finish",
    "interleave",
    "merge_region",
    "pick",
    "region",
    "set_merge",
    "split_parts",
    "trivial",
]

OPEN, MIDDLE, CLOSE = "<<<<<<< ours", "=======", ">>>>>>> theirs"

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
Choice = Literal["ours", "theirs", "conflict"]
Found = list[tuple[int, str]]  # (0-based line of a conflict's first marker, where)


class MergeError(Exception):
    """An input could not be parsed well enough to merge by meaning; merge it by lines instead."""


@dataclass(frozen=True)
class MergeConflict:
    line: int  # 1-based line of the '<<<<<<<' marker in Merged.text
    where: str  # human words: "pattern 'N+1 Query Prevention', Context", "v3, Next", "preamble"


@dataclass(frozen=True)
class Merged:
    text: str
    conflicts: tuple[MergeConflict, ...] = ()


def trivial(base: str, ours: str, theirs: str) -> str | None:
    """The answer when at most one side changed the file (byte for byte), else None."""
    if ours == theirs or base == theirs:
        return ours
    if base == ours:
        return theirs
    return None


def pick(base: object, ours: object, theirs: object) -> Choice:
    """Three-way choice of one value; ``None`` stands for "absent"."""
    if ours == theirs or base == theirs:
        return "ours"
    if base == ours:
        return "theirs"
    return "conflict"


def conflict_lines(ours: Sequence[str], theirs: Sequence[str]) -> tuple[str, ...]:
    return (OPEN, *ours, MIDDLE, *theirs, CLOSE)


def set_merge(
    base: Sequence[tuple[K, T]] | None, ours: Sequence[tuple[K, T]], theirs: Sequence[tuple[K, T]]
) -> list[T]:
    """Three-way merge of keyed items: ours' order, then theirs' new ones; an item one side
    removed (it is in ``base``) stays removed; the same key twice is kept once."""
    gone = {k for k, _ in base or ()}
    tk = {k for k, _ in theirs}
    seen: set[K] = set()
    out: list[T] = []
    for k, item in ours:
        if k not in seen and (k in tk or k not in gone):
            out.append(item)
        seen.add(k)
    for k, item in theirs:
        if k not in seen and k not in gone:
            out.append(item)
        seen.add(k)
    return out


def interleave(ours: Sequence[K], theirs: Sequence[K], fresh: Callable[[K], bool]) -> list[K]:
    """Ours' order; each key only theirs has goes after the key before it in theirs' order, and
    after the ``fresh`` (new on ours' side only) keys that follow that one."""
    out = list(ours)
    mine = set(ours)
    prev: K | None = None
    for key in theirs:
        if key not in mine and key not in out:
            i = out.index(prev) + 1 if prev is not None else 0
            while i < len(out) and out[i] in mine and fresh(out[i]):
                i += 1
            out.insert(i, key)
        prev = key
    return out


# -- pieces: edits of ours' lines that may hold conflicts -----------------------------------------


@dataclass(frozen=True)
class Piece:
    """Replace ours' ``lines[start:end]`` by ``new``; ``conflicts`` are (offset in new, where)."""

    start: int
    end: int
    new: tuple[str, ...]
    conflicts: tuple[tuple[int, str], ...] = ()


def apply(doc: Doc, pieces: Sequence[Piece], found: Sequence[tuple[int, str]] = ()) -> tuple[Doc, Found]:
    """Splice non-overlapping pieces into ``doc``; ``found`` conflicts already in ``doc`` move
    with the lines, and the pieces' own conflicts get their line numbers in the result."""
    ordered = sorted(enumerate(pieces), key=lambda p: (p[1].start, p[1].end, p[0]))
    out: Found = []
    delta = 0
    for _, p in ordered:
        out += [(p.start + delta + k, where) for k, where in p.conflicts]
        delta += len(p.new) - (p.end - p.start)
    for line, where in found:
        moved = sum(len(p.new) - (p.end - p.start) for p in pieces if p.end <= line and p.start <= line)
        out.append((line + moved, where))
    return doc.splice([Splice(p.start, p.end, p.new) for p in pieces]), out


def finish(doc: Doc, found: Found) -> Merged:
    conflicts = (MergeConflict(line + 1, where) for line, where in found)
    return Merged(doc.render(), tuple(sorted(conflicts, key=lambda c: c.line)))


# -- diff3 over blocks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """A stretch of a file cut into blocks: runs of non-blank lines (fenced code stays whole)
    and single blank lines, or single lines where the caller asks for them."""

    start: int  # its first line in the file
    lines: tuple[str, ...]  # bodies
    keys: tuple[str, ...]  # bodies as compared (volatile lines masked)
    cuts: tuple[int, ...]  # block boundaries, 0 .. len(lines)

    def blocks(self) -> list[tuple[str, ...]]:
        return [self.keys[a:b] for a, b in zip(self.cuts, self.cuts[1:], strict=False)]


def region(
    lines: Sequence[str],
    start: int,
    end: int,
    code: frozenset[int],
    mask: Callable[[int, str], str] = lambda _, s: s,
    single: Callable[[int], bool] = lambda _: False,
) -> Region:
    def kind(i: int) -> str:
        if single(i):
            return "single"
        return "blank" if i not in code and not lines[i].strip() else "text"

    cuts = [i - start for i in range(start, end) if i == start or kind(i) != "text" or kind(i - 1) != "text"]
    return Region(
        start,
        tuple(lines[start:end]),
        tuple(mask(i, lines[i]) for i in range(start, end)),
        (*cuts, end - start) if end > start else (0,),
    )


def _chunks(base: Sequence[T], ours: Sequence[T], theirs: Sequence[T]) -> Iterator[tuple[int, int, int, int, int, int]]:
    """The unstable stretches between the parts all three sides share (diff3)."""
    om = SequenceMatcher(None, base, ours, autojunk=False).get_matching_blocks()
    tm = SequenceMatcher(None, base, theirs, autojunk=False).get_matching_blocks()
    syncs: list[tuple[int, int, int, int]] = []
    i = j = 0
    while i < len(om) and j < len(tm):
        ob, oo, on = om[i]
        tb, tt, tn = tm[j]
        lo, hi = max(ob, tb), min(ob + on, tb + tn)
        if lo < hi:
            syncs.append((lo, hi, oo + lo - ob, tt + lo - tb))
        if ob + on < tb + tn:
            i += 1
        else:
            j += 1
    syncs.append((len(base), len(base), len(ours), len(theirs)))
    zb = zo = zt = 0
    for b0, b1, o0, t0 in syncs:
        if b0 > zb or o0 > zo or t0 > zt:
            yield zb, b0, zo, o0, zt, t0
        zb, zo, zt = b1, o0 + b1 - b0, t0 + b1 - b0


def _refine(ours: Sequence[T], theirs: Sequence[T], based: bool) -> list[tuple[int, int, int, int, Choice]]:
    """A conflicting hunk made as small as it can be (git's "zealous" merge): blocks both sides
    share leave it; where base had nothing, what only one side added is simply taken."""
    if based:
        n = 0
        while n < min(len(ours), len(theirs)) and ours[n] == theirs[n]:
            n += 1
        m = 0
        while m < min(len(ours), len(theirs)) - n and ours[-1 - m] == theirs[-1 - m]:
            m += 1
        return [(n, len(ours) - m, n, len(theirs) - m, "conflict")]
    ops = SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes()
    return [(i1, i2, j1, j2, pick(None, ours[i1:i2], theirs[j1:j2])) for tag, i1, i2, j1, j2 in ops if tag != "equal"]


def merge_region(base: Region, ours: Region, theirs: Region, where: Callable[[int], str]) -> list[Piece]:
    """diff3 by blocks: a block changed on one side takes that side; changed on both, a conflict
    around just those blocks. ``where`` names a conflict from ours' line."""
    bb, ob, tb = base.blocks(), ours.blocks(), theirs.blocks()
    pieces: list[Piece] = []
    for b0, b1, o0, o1, t0, t1 in _chunks(bb, ob, tb):
        choice = pick(bb[b0:b1], ob[o0:o1], tb[t0:t1])
        hunks = [(0, o1 - o0, 0, t1 - t0, choice)]
        if choice == "conflict":
            hunks = _refine(ob[o0:o1], tb[t0:t1], b1 > b0)
        for i1, i2, j1, j2, c in hunks:
            if c != "ours":
                pieces.append(_piece(ours, theirs, o0 + i1, o0 + i2, t0 + j1, t0 + j2, c, where))
    return pieces


def _piece(
    ours: Region, theirs: Region, o0: int, o1: int, t0: int, t1: int, c: Choice, where: Callable[[int], str]
) -> Piece:
    s, e = ours.start + ours.cuts[o0], ours.start + ours.cuts[o1]
    new = theirs.lines[theirs.cuts[t0] : theirs.cuts[t1]]
    if c == "theirs":
        return Piece(s, e, new)
    return Piece(s, e, conflict_lines(ours.lines[ours.cuts[o0] : ours.cuts[o1]], new), ((0, where(s)),))


# -- keyed parts: the fields of one entry ------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    key: str
    label: str  # as written, for messages
    body: tuple[str, ...]  # its lines up to the last non-blank one
    gap: tuple[str, ...]  # the blank lines after it


Outcome = tuple[tuple[str, ...], bool]  # merged body, and whether it holds conflict markers


def split_parts(lines: Sequence[str], bounds: Sequence[tuple[int, str, str]], end: int) -> dict[str, Part]:
    """Parts from ``bounds`` (line, key, label) in line order to ``end``; a repeated key gets
    ``#2``, ``#3`` so no line is dropped."""
    parts: dict[str, Part] = {}
    for k, (line, key, label) in enumerate(bounds):
        stop = bounds[k + 1][0] if k + 1 < len(bounds) else end
        chunk = tuple(lines[line:stop])
        n = len(chunk)
        while n and not chunk[n - 1].strip():
            n -= 1
        unique, count = key, 1
        while unique in parts:
            count += 1
            unique = f"{key}#{count}"
        parts[unique] = Part(unique, label, chunk[:n], chunk[n:])
    return parts


def _successors(parts: dict[str, Part]) -> dict[str, str | None]:
    keys = list(parts)
    return {k: keys[i + 1] if i + 1 < len(keys) else None for i, k in enumerate(keys)}


def assemble(
    ours: dict[str, Part],
    theirs: dict[str, Part],
    merged: dict[str, Outcome],
    order: Sequence[str],
    where: Callable[[str], str],
) -> tuple[list[str], Found]:
    """Lay merged parts out in ``order``. The blank lines after a part are those of the side
    where the same part came next (ours first), so fields keep their spacing."""
    keys = [k for k in order if k in merged]
    nexts = (_successors(ours), _successors(theirs))
    lines: list[str] = []
    found: Found = []
    for i, key in enumerate(keys):
        body, conflicted = merged[key]
        if conflicted:
            found.append((len(lines), where(key)))
        lines += body
        if i + 1 == len(keys):
            break
        sides = [(side, succ) for side, succ in zip((ours, theirs), nexts, strict=True) if key in side]
        same = [side[key].gap for side, succ in sides if succ[key] == keys[i + 1]]
        side, succ = sides[0]
        lines += same[0] if same else side[key].gap or (("",) if succ[key] is None else ())
    return lines, found
