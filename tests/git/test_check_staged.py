"""``devlore check --staged``: the staged content of the brain's files, and conflict markers."""

from __future__ import annotations

from pathlib import Path

import pytest

from devlore.cli import main
from devlore.codec.conflicts import conflict_marker_line
from tests.git.conftest import DEV, EPISODE, PM, git, new_repo, replace_in

BROKEN = "```python\nnever closed\n"


def test_staged_content_is_checked_not_the_work_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = new_repo(tmp_path / "r")
    (root / DEV).write_text(BROKEN, encoding="utf-8")
    git(root, "add", DEV)
    git(root, "checkout", "--", DEV)  # the work tree is fine again; the index is not
    assert main(["check", "--staged", str(root)]) == 1
    assert capsys.readouterr().out == f"{DEV}:1: code fence opened here is never closed\n"

    git(root, "reset", "-q")
    replace_in(root / PM, "~", "≈")  # a good staged edit …
    git(root, "add", PM)
    (root / PM).write_text(BROKEN, encoding="utf-8")  # … and a broken unstaged one
    assert main(["check", "--staged", str(root)]) == 0
    assert "every staged brain file parses" in capsys.readouterr().out


def test_conflict_markers_in_a_staged_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = new_repo(tmp_path / "project", "brain", commit=False)  # no commit yet: everything is staged
    text = (root / EPISODE).read_text(encoding="utf-8")
    marked = text.replace("## Solution\n", "## Solution\n<<<<<<< ours\nA\n=======\nB\n>>>>>>> theirs\n")
    (root / EPISODE).write_text(marked, encoding="utf-8")
    git(root, "add", "-A")
    assert main(["check", "--staged", str(root)]) == 1
    line = marked.splitlines().index("<<<<<<< ours") + 1
    assert capsys.readouterr().out == f"{EPISODE}:{line}: unresolved merge conflict\n"


def test_check_staged_outside_git(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--staged", str(tmp_path)]) == 2
    assert "is not inside a git work tree" in capsys.readouterr().err


def test_conflict_marker_line() -> None:
    assert conflict_marker_line("a\n<<<<<<< ours\nb\n=======\nc\n>>>>>>> theirs\n") == 2
    assert conflict_marker_line("a\n>>>>>>> theirs\n") == 2
    assert conflict_marker_line("Title\n=======\n\ntext\n") is None  # a setext heading
    assert conflict_marker_line("```diff\n<<<<<<< ours\n=======\n>>>>>>> theirs\n```\n") is None
    assert conflict_marker_line("~~~~\n```\n<<<<<<< ours\n~~~~\n<<<<<<< ours\n") == 5
    assert conflict_marker_line("<<<<<<<< eight\n") is None
