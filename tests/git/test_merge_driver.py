"""``devlore merge-driver`` (``merge_file``): semantic merges by path, both copies of a twice-created
episode, and git's line merge for everything else."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from devlore.cli import main
from devlore.git import ADDED_RECORD, merge_file
from tests.git.conftest import DEV, EPISODE, FIXTURES, GROWTH, new_repo

CONFIDENCE = "brain-health/pattern-confidence.md"
WORKLOG = "memory/worklogs/Ledger-Export-WorkLog.md"


def _sides(tmp_path: Path, base: str, ours: str, theirs: str) -> tuple[Path, Path, Path]:
    paths = (tmp_path / ".merge_file_O", tmp_path / ".merge_file_A", tmp_path / ".merge_file_B")
    for path, text in zip(paths, (base, ours, theirs), strict=True):
        path.write_text(text, encoding="utf-8")
    return paths


def test_an_unknown_path_merges_line_by_line(tmp_path: Path) -> None:
    base = "one\ntwo\nthree\nfour\nfive\n"
    o, a, b = _sides(tmp_path, base, "ONE\ntwo\nthree\nfour\nfive\n", "one\ntwo\nthree\nfour\nFIVE\n")
    assert merge_file(o, a, b, "notes/readme.md") == 0
    assert a.read_text(encoding="utf-8") == "ONE\ntwo\nthree\nfour\nFIVE\n"

    o, a, b = _sides(tmp_path, base, "one\nTWO\nthree\nfour\nfive\n", "one\n2\nthree\nfour\nfive\n")
    assert merge_file(o, a, b, "notes/readme.md") == 1
    assert a.read_text(encoding="utf-8") == "one\n<<<<<<< ours\nTWO\n=======\n2\n>>>>>>> theirs\nthree\nfour\nfive\n"


def test_the_driver_never_raises(tmp_path: Path) -> None:
    o, a, b = _sides(tmp_path, "x\n", "y\n", "z\n")
    o.unlink()
    assert merge_file(o, a, b, DEV) == 1  # unreadable base: line merge, which cannot run either


def test_an_episode_created_on_both_sides_is_kept_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = tmp_path / "project"
    root = new_repo(top, "brain")
    rel = "brain/memory/episodic/code/2026-11-21-same-name.md"
    (top / "brain/memory/episodic/code/2026-11-21-same-name-2.md").write_text("taken\n", encoding="utf-8")
    monkeypatch.chdir(top)  # git runs a driver at the top of the work tree
    mine = (root / EPISODE).read_text(encoding="utf-8")
    theirs = mine.replace("Flag service timeout", "Flag service outage")
    o, a, b = _sides(tmp_path, "", mine, theirs)
    assert merge_file(o, a, b, rel) == 0
    assert a.read_text(encoding="utf-8") == mine
    beside = "brain/memory/episodic/code/2026-11-21-same-name-3.md"
    assert (top / beside).read_text(encoding="utf-8") == theirs
    assert (top / ".git" / ADDED_RECORD).read_text(encoding="utf-8") == f"{beside}\n"


def test_an_episode_edited_on_both_sides_merges_line_by_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = tmp_path / "r"
    root = new_repo(top)
    monkeypatch.chdir(top)
    text = (root / EPISODE).read_text(encoding="utf-8")
    o, a, b = _sides(
        tmp_path, text, text.replace("45 minutes", "50 minutes"), text.replace("Quality:** 7", "Quality:** 8")
    )
    assert merge_file(o, a, b, EPISODE) == 0
    merged = a.read_text(encoding="utf-8")
    assert "50 minutes" in merged and "Quality:** 8" in merged
    assert not (top / ".git" / ADDED_RECORD).exists()


@dataclass(frozen=True)
class _Conflict:
    line: int
    where: str


@dataclass(frozen=True)
class _Merged:
    text: str
    conflicts: tuple[_Conflict, ...] = ()


class _MergeError(Exception):
    pass


@pytest.fixture
def fake_merge(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """A stand-in devlore.codec.merge that records (function, path-less ours) calls."""
    calls: list[tuple[str, str]] = []
    module = types.ModuleType("devlore.codec.merge")

    def make(name: str) -> object:
        def merge(base: str, ours: str, theirs: str) -> _Merged:
            calls.append((name, ours))
            if ours == "unparsable\n":
                raise _MergeError("no entries")
            if ours == "conflicting\n":
                return _Merged("<<<<<<< ours\n…\n", (_Conflict(1, "Pattern X: Confidence"),))
            return _Merged(f"{name} merged\n")

        return merge

    for name in ("merge_patterns", "merge_worklog", "merge_growth", "merge_confidence"):
        setattr(module, name, make(name))
    module.MergeError = _MergeError  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "devlore.codec.merge", module)
    return calls


@pytest.mark.parametrize(
    ("path", "function"),
    [
        (DEV, "merge_patterns"),
        (f"team/brain/{DEV}", "merge_patterns"),
        (WORKLOG, "merge_worklog"),
        (GROWTH, "merge_growth"),
        (f"brain/{CONFIDENCE}", "merge_confidence"),
    ],
)
def test_brain_files_merge_semantically_by_path(
    tmp_path: Path, fake_merge: list[tuple[str, str]], path: str, function: str
) -> None:
    o, a, b = _sides(tmp_path, "base\n", "ours\n", "theirs\n")
    assert merge_file(o, a, b, path) == 0
    assert fake_merge == [(function, "ours\n")]
    assert a.read_text(encoding="utf-8") == f"{function} merged\n"


def test_semantic_conflicts_return_1_and_an_unparsable_file_merges_by_line(
    tmp_path: Path, fake_merge: list[tuple[str, str]]
) -> None:
    o, a, b = _sides(tmp_path, "base\n", "conflicting\n", "theirs\n")
    assert merge_file(o, a, b, DEV) == 1
    assert a.read_text(encoding="utf-8") == "<<<<<<< ours\n…\n"

    o, a, b = _sides(tmp_path, "base\n", "unparsable\n", "base\n")
    assert merge_file(o, a, b, DEV) == 0  # git merge-file: only ours changed
    assert a.read_text(encoding="utf-8") == "unparsable\n"
    assert [name for name, _ in fake_merge] == ["merge_patterns", "merge_patterns"]
    assert (
        merge_file(*_sides(tmp_path, "x\n", "y\n", "z\n"), "memory/semantic/patterns/notes.md") == 1
    )  # not *-patterns


def test_without_the_semantic_merge_module_the_driver_merges_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "devlore.codec.merge", None)  # import fails
    o, a, b = _sides(tmp_path, "a\nb\nc\nd\n", "A\nb\nc\nd\n", "a\nb\nc\nD\n")
    assert merge_file(o, a, b, DEV) == 0
    assert a.read_text(encoding="utf-8") == "A\nb\nc\nD\n"


def _with_example(tmp_path: Path, name: str, example: str) -> str:
    """dev-patterns.md after the add_example tool added ``example`` on a copy of the fixture brain."""
    import shutil

    from devlore.service.brain import Brain
    from devlore.service.patterns import add_example

    root = tmp_path / name
    shutil.copytree(FIXTURES, root)
    add_example(Brain(root, today=lambda: date(2026, 11, 21)), "Cache Keys Carry a Schema Version", example)
    return (root / DEV).read_text(encoding="utf-8")


def test_cli_merge_driver_keeps_both_sides_examples(tmp_path: Path) -> None:
    ours_example = "Ledgerline - report cache (2026-11) - Shipped the v3 key with the model change"
    theirs_example = "Harbor Portal - rates cache (2026-11) - No flush needed on rollout"
    base = (FIXTURES / DEV).read_text(encoding="utf-8")
    o, a, b = _sides(
        tmp_path, base, _with_example(tmp_path, "ours", ours_example), _with_example(tmp_path, "theirs", theirs_example)
    )
    assert main(["merge-driver", str(o), str(a), str(b), DEV]) == 0
    merged = a.read_text(encoding="utf-8")
    assert ours_example in merged and theirs_example in merged
    assert "<<<<<<<" not in merged
