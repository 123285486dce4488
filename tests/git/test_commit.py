"""``Repo.find``, ``state`` and ``commit``: devlore commits exactly its own files and nothing of the person's."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from devlore.git import GIT_MISSING, GitError, Repo
from tests.git.conftest import (
    CONTENT,
    DEV,
    EPISODE,
    PM,
    WORKFLOW,
    changed_in,
    git,
    new_repo,
    replace_in,
    status,
)

NEW_EPISODE = "memory/episodic/code/2026-11-21-new-note.md"


def test_find_gives_the_work_tree_and_the_brain_folder_in_it(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "project", "docs/brain")
    repo = Repo.find(root)
    assert (repo.top, repo.prefix, repo.root) == (tmp_path / "project", "docs/brain", root)
    assert Repo.find(tmp_path / "project").prefix == ""
    assert repo.top_rel(DEV) == f"docs/brain/{DEV}"
    assert repo.brain_rel(f"docs/brain/{DEV}") == DEV
    with pytest.raises(GitError, match="not a path inside the brain"):
        repo.top_rel("../outside.md")


def test_find_outside_a_work_tree_says_to_git_init(tmp_path: Path) -> None:
    with pytest.raises(GitError) as caught:
        Repo.find(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path} is not inside a git work tree: run `git init` there (or `devlore git-setup` after cloning)"
    )


def test_find_without_git_says_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = new_repo(tmp_path / "r")
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(GitError) as caught:
        Repo.find(root)
    assert str(caught.value) == GIT_MISSING


def test_commit_takes_exactly_the_given_paths(tmp_path: Path) -> None:
    """Created, modified and deleted brain files are committed; the person's modified file stays
    modified and uncommitted, their staged file stays staged with its staged content."""
    root = new_repo(tmp_path / "r")
    replace_in(root / PM, "# ", "# Edited by the person: ")  # modified, not staged
    replace_in(root / CONTENT, "# ", "# Staged by the person: ")
    git(root, "add", CONTENT)
    staged = git(root, "show", f":{CONTENT}")
    replace_in(root / CONTENT, "# Staged", "# Staged, then edited again")  # and a newer unstaged edit on top

    replace_in(root / DEV, "~35 minutes", "~40 minutes")  # devlore's writes
    (root / NEW_EPISODE).write_text((root / EPISODE).read_text(encoding="utf-8"), encoding="utf-8")
    (root / WORKFLOW).unlink()

    before = git(root, "rev-parse", "HEAD").strip()
    sha = Repo.find(root).commit([DEV, NEW_EPISODE, WORKFLOW], "devlore: add_example")

    assert sha == git(root, "rev-parse", "HEAD").strip() and sha != before
    assert changed_in(root, sha) == {f"M {DEV}", f"A {NEW_EPISODE}", f"D {WORKFLOW}"}
    assert git(root, "log", "-1", "--format=%s").strip() == "devlore: add_example"
    assert status(root) == {f" M {PM}", f"MM {CONTENT}"}
    assert git(root, "show", f":{CONTENT}") == staged
    assert "Staged, then edited again" in (root / CONTENT).read_text(encoding="utf-8")


def test_commit_returns_none_when_nothing_changed(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "r")
    head = git(root, "rev-parse", "HEAD")
    repo = Repo.find(root)
    assert repo.commit([DEV, EPISODE], "nothing") is None
    assert repo.commit(["memory/episodic/code/never-written.md"], "nothing") is None
    assert repo.commit([], "nothing") is None
    assert git(root, "rev-parse", "HEAD") == head


def test_commit_in_a_repository_without_commits(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "r", commit=False)
    sha = Repo.find(root).commit([DEV, EPISODE], "devlore: first")
    assert sha is not None
    assert changed_in(root, sha) == {f"A {DEV}", f"A {EPISODE}"}
    assert git(root, "rev-list", "--count", "HEAD").strip() == "1"
    assert f"?? {PM}" in status(root)  # the rest is still the person's to commit


def test_commit_of_a_brain_in_a_subfolder(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "project", "brain")
    (tmp_path / "project" / "app.py").write_text("print('hi')\n", encoding="utf-8")
    replace_in(root / DEV, "~35 minutes", "~40 minutes")
    sha = Repo.find(root).commit([DEV], "devlore: edit")
    assert sha is not None
    assert changed_in(root, sha) == {f"M brain/{DEV}"}
    assert status(root) == {"?? app.py"}


def test_commit_without_an_identity_uses_devlore(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "r", commit=False)
    git(root, "config", "--unset", "user.name")
    git(root, "config", "--unset", "user.email")
    sha = Repo.find(root).commit([DEV], "devlore: first")
    assert sha is not None
    assert git(root, "log", "-1", "--format=%an <%ae>|%cn <%ce>").strip() == (
        "devlore <devlore@localhost>|devlore <devlore@localhost>"
    )


def test_commit_keeps_the_persons_identity(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "r")
    replace_in(root / DEV, "~35 minutes", "~40 minutes")
    sha = Repo.find(root).commit([DEV], "devlore: edit")
    assert sha is not None
    assert git(root, "log", "-1", "--format=%an <%ae>").strip() == "Pat <pat@example.com>"


def _conflicting_branches(root: Path) -> None:
    git(root, "switch", "-q", "-c", "other")
    replace_in(root / DEV, "~35 minutes", "~50 minutes")
    git(root, "commit", "-q", "-am", "other")
    git(root, "switch", "-q", "main")
    replace_in(root / DEV, "~35 minutes", "~45 minutes")
    git(root, "commit", "-q", "-am", "main")


def test_commit_refuses_during_a_merge(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "r")
    _conflicting_branches(root)
    git(root, "merge", "other", ok=False)
    replace_in(root / PM, "# ", "# x ")
    repo = Repo.find(root)
    assert repo.state() == "merge"
    with pytest.raises(GitError) as caught:
        repo.commit([PM], "devlore: edit")
    assert str(caught.value) == (
        f"a merge is in progress in {root}: finish it (resolve, `git add`, `git commit`) or `git merge --abort`, "
        "then try again"
    )
    git(root, "merge", "--abort")
    assert repo.state() is None


def test_commit_refuses_during_a_rebase(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "r")
    _conflicting_branches(root)
    git(root, "rebase", "other", ok=False)
    repo = Repo.find(root)
    assert repo.state() == "rebase"
    with pytest.raises(GitError, match=r"a rebase is in progress in .*`git rebase --continue`.*`git rebase --abort`"):
        repo.commit([PM], "devlore: edit")


@pytest.mark.parametrize("hook", [False, True], ids=["bare", "with-hook"])
def test_commits_from_several_processes_at_once_all_land(tmp_path: Path, hook: bool) -> None:
    """git's index.lock makes concurrent commits fail; commit() waits its turn instead (the
    pre-commit hook holds the lock longer)."""
    root = new_repo(tmp_path / "r")
    if hook:
        Repo.find(root).setup()
    names = [f"memory/episodic/code/2026-11-2{i}-parallel.md" for i in range(4 if hook else 8)]
    for name in names:
        shutil.copyfile(root / EPISODE, root / name)

    def one(name: str) -> str | None:
        return Repo.find(root).commit([name], f"devlore: {name}")

    with ThreadPoolExecutor(len(names)) as pool:
        shas = list(pool.map(one, names))
    assert None not in shas and len(set(shas)) == len(names)
    assert git(root, "rev-list", "--count", "HEAD").strip() == str(1 + len(names))
    for sha, name in zip(shas, names, strict=True):
        assert sha is not None and changed_in(root, sha) == {f"A {name}"}
    assert status(root) == ({"?? .gitattributes", "?? .gitignore"} if hook else set())


def test_the_hook_checks_devlores_commit_not_the_persons_staged_files(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "r")
    repo = Repo.find(root)
    repo.setup()
    (root / CONTENT).write_text("```python\nnever closed\n", encoding="utf-8")
    git(root, "add", CONTENT)  # the person's broken work in progress, staged
    replace_in(root / DEV, "~35 minutes", "~40 minutes")
    sha = repo.commit([DEV], "devlore: edit")
    assert sha is not None and changed_in(root, sha) == {f"M {DEV}"}

    (root / PM).write_text("```python\nnever closed\n", encoding="utf-8")  # a broken write of devlore's
    with pytest.raises(GitError, match=r"git commit failed in .*pm-patterns.md:1: code fence opened here is never"):
        repo.commit([PM], "devlore: broken")
    assert git(root, "rev-parse", "HEAD").strip() == sha
