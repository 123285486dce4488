"""The team-brain promise of docs/TEAMS.md: a brain shared by clones of one remote through ``devlore serve --git``
(each write operation committed) and ``devlore sync`` (the semantic merge driver at work).

Writes go through the real MCP server (in-memory client) or through the same ``AutoCommit``
path the server uses; files are real, git is real, and every clone ends byte-identical."""

from __future__ import annotations

import random
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from devlore.cli import main
from devlore.codec.merge import conflict_regions
from devlore.codec.patterns import PatternFile
from devlore.codec.worklogs import WorkLog
from devlore.git import Repo
from devlore.server import build_server
from devlore.service import patterns, worklogs
from devlore.service.brain import Brain
from devlore.service.check import check
from devlore.service.commits import AutoCommit, attach
from tests.git.conftest import DEV, Team, git, identify, status

pytestmark = pytest.mark.anyio

BATCH = "Batch Loading Related Rows"  # MEDIUM, 4 examples in the fixture
LOG = "memory/worklogs/Ledger-Export-WorkLog.md"  # v1..v3 in the fixture


def brain_at(root: Path, when: str) -> Brain:
    moment = datetime.fromisoformat(when)
    return Brain(root, today=lambda: moment.date(), now=lambda: moment)


@asynccontextmanager
async def served(root: Path, when: str) -> AsyncIterator[Client]:
    """``devlore serve --git`` on ``root``: an in-memory client, every write committed."""
    brain = brain_at(root, when)
    attach(brain, Repo.find(root))
    async with Client(build_server(brain)) as client:
        yield client


async def call(client: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


def files(root: Path) -> dict[str, bytes]:
    """The brain as committed content sees it: every file but git's and devlore's own state."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not {".git", ".devlore"} & set(p.relative_to(root).parts)
    }


def sync(root: Path) -> int:
    return main(["sync", "--root", str(root)])


def examples(root: Path, name: str) -> list[str]:
    pf = PatternFile.parse((root / DEV).read_text(encoding="utf-8"))
    entry = next(e for e in pf.entries if e.name == name)
    assert [x.number for x in entry.examples] == list(range(1, len(entry.examples) + 1)), "numbered with gaps"
    assert entry.field_value("based on") == f"{len(entry.examples)} examples"
    return [x.text for x in entry.examples]


def no_markers(root: Path) -> None:
    for rel, data in files(root).items():
        if rel.endswith(".md"):
            assert not conflict_regions(data.decode("utf-8")), f"conflict markers in {rel}"


# -- two clones, the ordinary case -------------------------------------------------------------


@pytest.mark.parametrize("first", ["a", "b"])
async def test_two_clones_that_grew_the_same_pattern_and_log_converge_without_a_conflict(
    team: Team, first: str
) -> None:
    async with served(team.a, "2026-11-22 09:00") as a:
        await call(a, "add_example", {"pattern": BATCH, "example": "Clone A - orders page (2026-11-22) - 1 query"})
        await call(a, "add_example", {"pattern": BATCH, "example": "Clone A - invoices (2026-11-22) - 2 queries"})
        await call(
            a, "add_pattern", {"name": "Alpha Pattern", "pattern": "Do alpha.", "context": "In A.", "example": "A"}
        )
        await call(a, "open_worklog", {"name": "Ledger Export", "title": "Morning session on A"})
    async with served(team.b, "2026-11-22 14:30") as b:
        await call(b, "add_example", {"pattern": BATCH, "example": "Clone B - reports (2026-11-22) - 3 queries"})
        await call(
            b, "add_pattern", {"name": "Beta Pattern", "pattern": "Do beta.", "context": "In B.", "example": "B"}
        )
        await call(b, "open_worklog", {"name": "Ledger Export", "title": "Afternoon session on B"})

    one, two = (team.a, team.b) if first == "a" else (team.b, team.a)
    assert sync(one) == 0
    assert sync(two) == 0
    assert sync(one) == 0

    assert files(team.a) == files(team.b)
    got = examples(team.a, BATCH)
    assert len(got) == 7 and len(set(got)) == 7  # 4 + 2 + 1, each once
    assert {"Clone A - orders page (2026-11-22) - 1 query", "Clone B - reports (2026-11-22) - 3 queries"} <= set(got)
    entry = next(e for e in PatternFile.parse((team.a / DEV).read_text("utf-8")).entries if e.name == BATCH)
    assert entry.stated == "HIGH"
    assert {"Alpha Pattern", "Beta Pattern"} <= {r.entry.name for r in Brain(team.a).patterns()}
    log = WorkLog.parse((team.a / LOG).read_text("utf-8"))
    assert [(e.version, e.title) for e in log.entries[-2:]] == [
        (4, "Morning session on A"),
        (5, "Afternoon session on B"),
    ]
    assert [e.version for e in log.entries] == [1, 2, 3, 4, 5]
    assert log.version == 5
    no_markers(team.a)
    assert check(Brain(team.a)) == []
    assert git(team.a, "rev-parse", "HEAD") == git(team.b, "rev-parse", "HEAD")


# -- three clones, random rounds ----------------------------------------------------------------


def clone(team: Team, tmp: Path, name: str) -> Path:
    git(tmp, "clone", "-q", str(team.remote), name)
    identify(tmp / name, name.title())
    root = tmp / name / team.a.name
    Repo.find(root).setup()
    return root


def _op(rng: random.Random, root: Path, auto: AutoCommit, tag: str, written: dict[str, set[str]]) -> None:
    brain = auto.brain
    kind = rng.choice(["example", "example", "pattern", "session"])
    if kind == "example":
        here = {r.entry.name for r in brain.patterns()}  # what this clone has heard of so far
        name = rng.choice([BATCH, "Inject the Clock Instead of Patching Time", *sorted(written["patterns"] & here)])
        text = f"{tag} - case {rng.randrange(10**6)} (2026-11-22) - fine"
        auto.run("add_example", lambda: patterns.add_example(brain, name, text))
        written["examples"].add(text)
    elif kind == "pattern":
        name = f"Pattern {tag}"
        auto.run("add_pattern", lambda: patterns.add_pattern(brain, name=name, pattern="p", context="c", example="e"))
        written["patterns"].add(name)
    else:
        title = f"Session {tag}"
        auto.run("open_worklog", lambda: worklogs.open_worklog(brain, "Ledger Export", title=title))
        written["sessions"].add(title)


@pytest.mark.parametrize("seed", [1, 2])
def test_three_clones_after_random_rounds_converge_and_lose_nothing(team: Team, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    roots = {"a": team.a, "b": team.b, "c": clone(team, tmp_path, "c")}
    written: dict[str, set[str]] = {"examples": set(), "patterns": set(), "sessions": set()}
    minute = 0
    for round_ in range(3):
        for name, root in roots.items():
            for k in range(rng.randint(1, 3)):
                minute += 7
                when = datetime(2026, 11, 22, 8, 0) + timedelta(minutes=minute)
                brain = Brain(root, today=lambda when=when: when.date(), now=lambda when=when: when)
                _op(rng, root, AutoCommit(brain, Repo.find(root)), f"{name}{round_}{k}", written)
        for name in rng.sample(list(roots), len(roots)):
            assert sync(roots[name]) == 0, f"sync of {name} reported conflicts"
    for _ in range(2):  # everyone hears of everyone
        for root in roots.values():
            assert sync(root) == 0

    trees = [files(root) for root in roots.values()]
    assert trees[0] == trees[1] == trees[2]
    root = team.a
    pf_text = (root / DEV).read_text("utf-8")
    every = {x.text for e in PatternFile.parse(pf_text).entries for x in e.examples}
    assert written["examples"] <= every
    for text in written["examples"]:
        assert pf_text.count(text) == 1, f"{text!r} is not there exactly once"
    names = {r.entry.name for r in Brain(root).patterns()}
    assert written["patterns"] <= names
    log = WorkLog.parse((root / LOG).read_text("utf-8"))
    assert [e.version for e in log.entries] == list(range(1, len(log.entries) + 1))
    assert {e.title for e in log.entries} >= written["sessions"]
    assert len(log.entries) == 3 + len(written["sessions"])
    whens = [e.when for e in log.entries[3:]]
    assert whens == sorted(whens), "work-log versions are not in time order"
    for r in roots.values():
        examples(r, BATCH)  # numbered without gaps, Based on matches
        no_markers(r)
        assert check(Brain(r)) == []


# -- a real conflict ---------------------------------------------------------------------------

OLD_CONTEXT = "Any list view or API endpoint that renders a collection together with a related record per item"


def rewrite_context(root: Path, new: str) -> None:
    path = root / DEV
    text = path.read_text(encoding="utf-8")
    start = text.index("## Batch Loading Related Rows")
    at = text.index("**Context:**\n", start) + len("**Context:**\n")
    end = text.index("\n", at)
    path.write_text(text[:at] + new + text[end:], encoding="utf-8")
    git(root, "commit", "-q", "--no-verify", "-am", "reword the context")


async def test_both_sides_rewriting_one_context_line_is_a_conflict_named_by_file_and_pattern(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    rewrite_context(team.a, "Any page that lists rows with a related record each (A's words).")
    async with served(team.a, "2026-11-22 09:00") as a:
        await call(a, "add_example", {"pattern": "Inject the Clock", "example": "A - clock (2026-11-22) - ok"})
    assert sync(team.a) == 0
    rewrite_context(team.b, "Collections rendered with one related record per row (B's words).")
    async with served(team.b, "2026-11-22 10:00") as b:
        await call(b, "add_example", {"pattern": "Smoke Test Each Deploy", "example": "B - stage (2026-11-22) - ok"})
    capsys.readouterr()

    assert sync(team.b) == 1
    out = capsys.readouterr().out
    assert re.search(rf"  {re.escape(DEV)}: line \d+, unresolved merge conflict in pattern '{BATCH}'", out), out

    text = (team.b / DEV).read_text(encoding="utf-8")
    regions = conflict_regions(text)
    assert len(regions) == 1
    start, end = regions[0]
    marked = text.splitlines()[start - 1 : end]
    assert "A's words" in "\n".join(marked) and "B's words" in "\n".join(marked)
    outside = "\n".join(text.splitlines()[: start - 1] + text.splitlines()[end:])
    assert "A's words" not in outside and "B's words" not in outside
    # The rest of the file merged: both sides' other examples are there.
    assert "3. A - clock (2026-11-22) - ok" in text  # format A
    assert "(2026-11-22): B - stage - ok" in text  # format B writes the date up front

    # devlore check points at it; the brain keeps serving every pattern of that file.
    assert main(["check", str(team.b)]) == 1
    report = capsys.readouterr().out
    assert f"{DEV}:{start}: unresolved merge conflict in pattern '{BATCH}'" in report
    async with served(team.b, "2026-11-22 10:05") as b:
        listed = await call(b, "list_patterns", {"domain": "dev", "limit": 100})
        detail = await call(b, "get_pattern", {"pattern": "Inject the Clock"})
        stats = await call(b, "memory_stats", {})
    assert len(listed["patterns"]) == len(PatternFile.parse(text).entries) == 10
    assert "A - clock (2026-11-22) - ok" in detail["examples"]
    assert [p["path"] for p in stats["problems"]] == [DEV]
    assert OLD_CONTEXT not in text


# -- what a commit holds ---------------------------------------------------------------------


async def test_each_write_is_one_commit_that_names_it_and_the_persons_edit_stays_uncommitted(team: Team) -> None:
    episode = team.a / "memory/episodic/code/2026-11-19-flag-default-off.md"
    episode.write_text(episode.read_text("utf-8") + "\nA note of mine, not ready yet.\n", encoding="utf-8")
    before = git(team.a, "rev-parse", "HEAD").strip()
    async with served(team.a, "2026-11-22 09:00") as a:
        await call(a, "add_example", {"pattern": BATCH, "example": "Mine - dashboard (2026-11-22) - 1 query"})
        await call(a, "open_worklog", {"name": "Ledger Export", "title": "Next session"})
        await call(a, "get_pattern", {"pattern": BATCH})  # a read commits nothing

    log = git(team.a, "log", "--format=%s", f"{before}..HEAD").splitlines()
    assert log == [
        "open_worklog: Ledger-Export v4 (blocked)",  # the v3 blocker is still open
        f"add_example: {BATCH} (MEDIUM → HIGH, 5 examples)",
    ]
    shown = git(team.a, "show", "--name-only", "--format=", "HEAD~1").split()
    prefix = team.a.name + "/"
    assert sorted(shown) == sorted(
        prefix + rel for rel in (DEV, "brain-health/growth-log.md", "brain-health/pattern-confidence.md")
    )
    assert status(Team.top(team.a)) == {f" M {prefix}memory/episodic/code/2026-11-19-flag-default-off.md"}


async def test_writes_are_refused_while_a_merge_is_in_progress(team: Team) -> None:
    git_dir = Path(git(team.a, "rev-parse", "--absolute-git-dir").strip())
    (git_dir / "MERGE_HEAD").write_text(git(team.a, "rev-parse", "HEAD"), encoding="utf-8")
    snapshot = files(team.a)
    async with served(team.a, "2026-11-22 09:00") as a:
        result = await a.call_tool("add_example", {"pattern": BATCH, "example": "Refused (2026-11-22) - no"})
        listed = await call(a, "list_patterns", {"domain": "dev"})
    assert result.is_error
    text = result.content[0].text  # type: ignore[union-attr]
    assert "a merge is in progress" in text and "git merge --abort" in text
    assert files(team.a) == snapshot
    assert listed["total"] == 10


def test_serve_git_outside_a_work_tree_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    assert main(["serve", "--root", str(root), "--git"]) == 2
    err = capsys.readouterr().err
    assert "is not inside a git work tree" in err and "git init" in err


async def test_background_sync_pulls_what_the_other_clone_pushed_and_memory_stats_says_when(team: Team) -> None:
    import threading
    import time

    async with served(team.a, "2026-11-22 09:00") as a:
        await call(a, "add_example", {"pattern": BATCH, "example": "From A (2026-11-22) - pushed"})
    assert sync(team.a) == 0
    brain = brain_at(team.b, "2026-11-22 09:30")
    auto = attach(brain, Repo.find(team.b))
    stop = threading.Event()
    worker = threading.Thread(target=auto.sync_forever, args=(0.2, stop), daemon=True)
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while "From A (2026-11-22) - pushed" not in (team.b / DEV).read_text("utf-8"):
            assert time.monotonic() < deadline, "the background sync never pulled"
            time.sleep(0.1)
    finally:
        stop.set()
        worker.join(10)
    async with Client(build_server(brain)) as b:
        stats = await call(b, "memory_stats", {})
    assert stats["last_sync"] is not None and "pulled 1 commit" in stats["last_sync"]


async def test_a_served_clone_tells_its_clients_about_what_a_sync_pulled(team: Team) -> None:
    import anyio

    from tests.server.test_live import watched

    async with served(team.a, "2026-11-22 09:00") as a:
        await call(a, "add_example", {"pattern": BATCH, "example": "From A (2026-11-22) - for B's client"})
    assert sync(team.a) == 0
    brain = brain_at(team.b, "2026-11-22 09:30")
    auto = attach(brain, Repo.find(team.b))
    entry = "memory://patterns/dev/batch-loading-related-rows"
    async with watched(brain, "legacy", ["memory://patterns/dev", entry]) as (client, inbox):
        report = await anyio.to_thread.run_sync(auto.sync)
        await inbox.until(lambda: entry in inbox.updated, 3.0)
        detail = await call(client, "get_pattern", {"pattern": BATCH})
    assert report.merged == 1
    assert "memory://patterns/dev" in inbox.updated
    assert "From A (2026-11-22) - for B's client" in detail["examples"]
