"""Check devlore against the upstream seed pattern files, when they are checked out beside the
repository (CI has them in ../shared/seeds; a clone of this repository alone does not, and then
the check says so and passes).

    python .ci/seeds.py [SEED_DIR]      # default: ../shared/seeds next to the repository

Each ``*-patterns.md`` in SEED_DIR is copied, byte for byte, into a fresh brain's pattern folder
and then:

- devlore's text layer and pattern-file parser render it back to exactly its bytes, and
  ``devlore check`` finds nothing wrong with the brain;
- ``list_patterns`` lists exactly the entries a plain reading of the file finds (each H2 outside
  code that holds a ``**Confidence:**`` line), in order, each with the level its numbered
  ``**Examples:**`` earn (1 LOW, 2-4 MEDIUM, 5+ HIGH; docs/FORMAT.md, "2.4 Confidence is
  evidence") and the level written in the file.

Exit status 0 when every file passes or the folder is absent, 1 when a check fails.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from devlore.codec.patterns import PatternFile
from devlore.codec.text import Doc
from devlore.service.brain import Brain
from devlore.service.check import check
from devlore.service.patterns import list_patterns

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "seeds"
PATTERNS = Path("memory/semantic/patterns")

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_NUMBERED = re.compile(r"^\d+\. \S")
_FIELD = re.compile(r"^\*\*[^*]+:\*\*")


@dataclass(frozen=True)
class Entry:
    name: str
    stated: str | None
    examples: int

    @property
    def earned(self) -> str:
        return "HIGH" if self.examples >= 5 else "MEDIUM" if self.examples >= 2 else "LOW"


def outside_code(text: str) -> list[str | None]:
    """The file's lines, with every line of a fenced code block (fences included) as None."""
    out: list[str | None] = []
    fence: str | None = None
    for line in text.splitlines():
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
            out.append(None)
        elif fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip(" `~"):
                fence = None
            out.append(None)
        else:
            out.append(line)
    return out


def read_entries(text: str) -> list[Entry]:
    """Format A entries as a reader sees them, without devlore's parser."""
    sections: list[tuple[str, list[str]]] = []
    for line in outside_code(text):
        if line is None:
            continue
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif line.startswith("# "):
            sections.append(("", []))  # an H1 ends the section before it
        elif sections:
            sections[-1][1].append(line)
    entries: list[Entry] = []
    for name, body in sections:
        stated = next((ln.split(":**", 1)[1].split()[0] for ln in body if ln.startswith("**Confidence:**")), None)
        if name == "" or not any(ln.startswith("**Confidence:**") for ln in body):
            continue
        count, listing = 0, False
        for ln in body:
            if ln.startswith("**Examples:**"):
                listing = True
            elif listing and (_FIELD.match(ln) or ln.strip() == "---"):
                listing = False
            elif listing and _NUMBERED.match(ln):
                count += 1
        entries.append(Entry(name, stated, count))
    return entries


def check_file(seed: Path, brain_root: Path) -> list[str]:
    """Problems with one seed file (empty when it passes); prints its entries."""
    problems: list[str] = []
    raw = seed.read_bytes()
    text = raw.decode("utf-8")
    if Doc.parse(text).render().encode("utf-8") != raw:
        problems.append("the text layer does not render it back to its exact bytes")
    if PatternFile.parse(text).doc.render().encode("utf-8") != raw:
        problems.append("the pattern-file parser does not render it back to its exact bytes")

    rel = PATTERNS / seed.name
    (brain_root / rel).parent.mkdir(parents=True, exist_ok=True)
    (brain_root / rel).write_bytes(raw)
    brain = Brain(brain_root)
    problems += [f"devlore check: {p.path}:{p.line}: {p.reason}" for p in check(brain)]

    domain = seed.name.removesuffix("-patterns.md")
    listed, cursor = [], None
    while True:
        page = list_patterns(brain, domain=domain, cursor=cursor)
        listed += page.patterns
        if not (cursor := page.next_cursor):
            break
    expected = read_entries(text)
    print(f"{seed.name}: devlore lists {len(listed)} patterns, a plain reading finds {len(expected)}")
    for want, got in zip(expected, listed, strict=False):
        ok = (got.name, got.examples, got.evidence_level, got.confidence) == (
            want.name,
            want.examples,
            want.earned,
            want.stated,
        )
        mark = "ok  " if ok else "FAIL"
        examples = f"{got.examples} example{'' if got.examples == 1 else 's'}"
        print(f"  {mark} {got.name}: {examples} -> {got.evidence_level} (written {got.confidence})")
        if not ok:
            problems.append(
                f"{want.name!r}: expected {want.examples} examples -> {want.earned} (written {want.stated}), "
                f"devlore lists {got.name!r}: {got.examples} -> {got.evidence_level} (written {got.confidence})"
            )
    if [e.name for e in expected] != [p.name for p in listed]:
        problems.append(f"entries differ: expected {[e.name for e in expected]}, listed {[p.name for p in listed]}")
    if (brain_root / rel).read_bytes() != raw:
        problems.append("listing the patterns changed the file")
    return problems


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else DEFAULT
    shown = argv[1] if len(argv) > 1 else "../shared/seeds"
    if not folder.is_dir():
        print(f"seed check skipped: {shown} is not there (CI checks it out beside the repository; a clone has none)")
        return 0
    seeds = sorted(folder.glob("*-patterns.md"))
    if not seeds:
        print(f"seed check: no *-patterns.md in {folder}")
        return 1
    failed = 0
    for seed in seeds:
        brain_root = Path(tempfile.mkdtemp(prefix="devlore-seed-"))
        try:
            problems = check_file(seed, brain_root)
        finally:
            shutil.rmtree(brain_root, ignore_errors=True)
        for problem in problems:
            print(f"  FAIL {seed.name}: {problem}")
        print(f"  {seed.name}: {'FAILED' if problems else 'round trip byte-identical, devlore check clean'}")
        failed += bool(problems)
    print(f"seed check: {len(seeds) - failed} of {len(seeds)} seed files pass")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
