"""Real git in tmp_path: every repository here is made by the test, with the machine's git config
shut out (GIT_CONFIG_GLOBAL points at a file of our own, GIT_CONFIG_NOSYSTEM=1)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from devlore.git import Repo

FIXTURES = Path(__file__).resolve().parent.parent.parent / "memory_fixtures"
DEV = "memory/semantic/patterns/dev-patterns.md"
PM = "memory/semantic/patterns/pm-patterns.md"
CONTENT = "memory/semantic/patterns/content-patterns.md"
EPISODE = "memory/episodic/code/2026-11-19-flag-default-off.md"
WORKFLOW = "memory/procedural/workflows/versioned-cache-release.md"
GROWTH = "brain-health/growth-log.md"

_LEAKY = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "EMAIL",
    "DEVLORE_ROOT",
)


@pytest.fixture(autouse=True)
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "global.gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    for name in _LEAKY:
        monkeypatch.delenv(name, raising=False)


def git(cwd: Path, *args: str, ok: bool = True) -> str:
    """Run git as the person would; the test fails on an error unless ``ok`` is False."""
    r = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if ok:
        assert r.returncode == 0, f"git {' '.join(args)} failed: {r.stderr}"
    return r.stdout + r.stderr if not ok else r.stdout


def identify(top: Path, name: str = "Pat") -> None:
    git(top, "config", "user.name", name)
    git(top, "config", "user.email", f"{name.lower()}@example.com")


def new_repo(top: Path, brain: str = "", commit: bool = True) -> Path:
    """A work tree holding a copy of the fixture brain (in ``brain`` under it); the brain root."""
    git(top.parent, "init", "-q", str(top))
    identify(top)
    root = top / brain if brain else top
    shutil.copytree(FIXTURES, root, dirs_exist_ok=True)
    if commit:
        git(top, "add", "-A")
        git(top, "commit", "-q", "--no-verify", "-m", "the brain")
    return root


def status(top: Path) -> set[str]:
    """``git status --porcelain`` lines."""
    return set(git(top, "status", "--porcelain", "--untracked-files=all").splitlines())


def changed_in(top: Path, sha: str) -> set[str]:
    """``A path`` / ``M path`` / ``D path`` lines of one commit."""
    out = git(top, "show", "--name-status", "--format=", sha)
    return {" ".join(line.split("\t")) for line in out.splitlines() if line}


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@dataclass
class Team:
    """A bare remote and two clones of one brain, both set up with ``devlore git-setup``."""

    remote: Path
    a: Path  # brain roots
    b: Path

    @staticmethod
    def top(root: Path) -> Path:
        return Repo.find(root).top


BRAIN_DIR = "team-brain"  # the brain lives in a folder of the project repository


@pytest.fixture
def team(tmp_path: Path) -> Team:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    a = new_repo(tmp_path / "a", BRAIN_DIR, commit=False)
    Repo.find(a).setup()
    git(tmp_path / "a", "add", "-A")
    git(tmp_path / "a", "commit", "-q", "--no-verify", "-m", "the brain")
    git(tmp_path / "a", "remote", "add", "origin", str(remote))
    git(tmp_path / "a", "push", "-q", "-u", "origin", "main")
    git(tmp_path, "clone", "-q", str(remote), "b")
    identify(tmp_path / "b", "Sam")
    b = tmp_path / "b" / BRAIN_DIR
    Repo.find(b).setup()
    return Team(remote, a, b)
