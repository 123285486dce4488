"""``devlore git-setup``: attributes, merge driver, ignore rule and pre-commit hook, idempotent."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from devlore.cli import main
from devlore.git import HOOK_MARK, Repo
from tests.git.conftest import DEV, EPISODE, GROWTH, git, new_repo, replace_in

SETUP_FILES = (".gitattributes", ".gitignore", ".git/hooks/pre-commit")


def _snapshot(top: Path) -> dict[str, str]:
    files = {name: (top / name).read_text(encoding="utf-8") for name in SETUP_FILES}
    files["config"] = git(top, "config", "--local", "--get-regexp", r"^merge\.devlore\.")
    return files


@pytest.mark.parametrize("brain", ["", "notes/team brain"], ids=["top", "subfolder-with-space"])
def test_setup_is_idempotent_and_assigns_the_driver(tmp_path: Path, brain: str) -> None:
    top = tmp_path / "project"
    root = new_repo(top, brain)
    (top / ".gitignore").write_text("*.pyc", encoding="utf-8")  # the person's, without a final newline
    repo = Repo.find(root)
    first = repo.setup()
    files = _snapshot(top)
    second = repo.setup()
    assert _snapshot(top) == files
    assert all("already" in line for line in second), second
    assert not any("already" in line for line in first), first

    for name in (".gitattributes", ".gitignore"):
        lines = [line for line in files[name].splitlines() if line]
        assert len(lines) == len(set(lines)), f"{name} has a duplicate line"
    assert files[".gitignore"].startswith("*.pyc\n")
    prefix = f"{brain}/" if brain else ""
    attrs = git(top, "check-attr", "merge", "--", f"{prefix}{DEV}", f"{prefix}{EPISODE}", f"{prefix}{GROWTH}", "x.md")
    assert attrs.splitlines() == [
        f"{prefix}{DEV}: merge: devlore",
        f"{prefix}{EPISODE}: merge: devlore",
        f"{prefix}{GROWTH}: merge: devlore",
        "x.md: merge: unspecified",
    ]
    git(top, "check-ignore", "-q", "--no-index", f"{prefix}.devlore/index.sqlite")
    assert git(top, "config", "merge.devlore.driver").strip() == (
        f"{shlex.quote(sys.executable)} -m devlore merge-driver %O %A %B %P"
    )
    assert git(top, "config", "merge.devlore.name").strip() == "devlore semantic merge"
    assert HOOK_MARK in files[".git/hooks/pre-commit"]


def test_setup_honours_core_hooks_path(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "r")
    git(root, "config", "core.hooksPath", ".githooks")
    Repo.find(root).setup()
    assert HOOK_MARK in (root / ".githooks" / "pre-commit").read_text(encoding="utf-8")
    assert not (root / ".git" / "hooks" / "pre-commit").exists()


def test_setup_leaves_a_foreign_hook_alone_and_says_how_to_chain(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "r")
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexec lint-staged\n", encoding="utf-8")
    lines = Repo.find(root).setup()
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\nexec lint-staged\n"
    assert any("not devlore's" in line and "-m devlore check --staged . || exit 1" in line for line in lines), lines
    assert (root / ".gitattributes").is_file()  # the rest is still set up


def _commit(top: Path) -> tuple[int, str]:
    r = subprocess.run(
        ["git", "-C", str(top), "commit", "-m", "edit"], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    return r.returncode, r.stdout + r.stderr


@pytest.mark.parametrize("brain", ["", "brain"])
def test_the_hook_lets_a_good_commit_through_and_blocks_broken_ones(tmp_path: Path, brain: str) -> None:
    top = tmp_path / "r"
    root = new_repo(top, brain)
    Repo.find(root).setup()
    replace_in(root / DEV, "~35 minutes", "~40 minutes")
    git(top, "add", "-A")
    assert _commit(top)[0] == 0
    head = git(top, "rev-parse", "HEAD")

    (root / DEV).write_text((root / DEV).read_text(encoding="utf-8") + "\n```python\nnever closed\n")
    git(top, "add", "-A")
    code, out = _commit(top)
    assert code != 0
    assert f"{DEV}:" in out and "code fence opened here is never closed" in out
    git(top, "checkout", "-q", "HEAD", "--", ".")

    text = (root / EPISODE).read_text(encoding="utf-8")
    (root / EPISODE).write_text(
        text.replace("## Solution\n", "## Solution\n<<<<<<< ours\nA\n=======\nB\n>>>>>>> theirs\n")
    )
    git(top, "add", "-A")
    code, out = _commit(top)
    assert code != 0
    assert f"{EPISODE}:" in out and "unresolved merge conflict" in out
    assert git(top, "rev-parse", "HEAD") == head


def test_cli_git_setup_prints_what_it_did(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = new_repo(tmp_path / "r")
    assert main(["git-setup", "--root", str(root)]) == 0
    assert "installed the pre-commit hook" in capsys.readouterr().out
    assert main(["git-setup", "--root", str(tmp_path / "nowhere")]) == 2
    assert "nowhere does not exist" in capsys.readouterr().err
