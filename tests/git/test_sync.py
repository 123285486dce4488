"""``Repo.sync`` between two clones of a bare remote: fetch, merge with the driver, push; the
person's uncommitted work is never committed, overwritten or pushed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from devlore.cli import main
from devlore.git import GitError, Repo, SyncReport
from tests.git.conftest import BRAIN_DIR, DEV, EPISODE, FIXTURES, GROWTH, PM, Team, git, new_repo, replace_in, status

NOTE = "memory/episodic/code/2026-11-21-team-note.md"


def sync(root: Path, after_merge: object = None) -> SyncReport:
    return Repo.find(root).sync(after_merge=after_merge)  # type: ignore[arg-type]


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")


def new_note(root: Path, rel: str = NOTE, title: str = "Team note") -> str:
    """A devlore write of an episode, committed as devlore commits it."""
    text = (root / EPISODE).read_text(encoding="utf-8").replace("Flag service timeout during deploy", title)
    write(root, rel, text)
    assert Repo.find(root).commit([rel], f"devlore: {title}") is not None
    return text


def edit_dev(root: Path, old: str = "~35 minutes", new: str = "~40 minutes") -> None:
    replace_in(root / DEV, old, new)
    assert Repo.find(root).commit([DEV], "devlore: edit dev") is not None


def tree(root: Path, rev: str = "HEAD") -> str:
    return git(root, "rev-parse", f"{rev}^{{tree}}").strip()


def remote_head(team: Team) -> str:
    return git(team.remote, "rev-parse", "main").strip()


def test_a_commit_travels_from_one_clone_to_the_other(team: Team) -> None:
    text = new_note(team.a)
    first = sync(team.a)
    assert (first.fetched, first.merged, first.pushed, first.conflicts) == (True, 0, 1, [])
    assert first.upstream == "origin/main"
    assert first.message() == "Synced with origin/main: pushed 1 commit(s)."
    second = sync(team.b)
    assert (second.merged, second.pushed) == (1, 0)
    assert (team.b / NOTE).read_text(encoding="utf-8") == text
    assert sync(team.b).message() == "Synced with origin/main: already up to date."
    assert git(team.b, "rev-parse", "HEAD") == git(team.a, "rev-parse", "HEAD")


@pytest.mark.parametrize("first", ["a", "b"])
def test_edits_of_different_files_converge_in_either_order(team: Team, first: str) -> None:
    edit_dev(team.a)
    new_note(team.b)
    one, two = (team.a, team.b) if first == "a" else (team.b, team.a)
    assert sync(one).pushed == 1
    report = sync(two)
    assert (report.merged, report.pushed, report.conflicts) == (1, 2, [])  # their commit in, ours and the merge out
    assert sync(one).merged == 2
    assert tree(team.a) == tree(team.b) == git(team.remote, "rev-parse", "main^{tree}").strip()
    assert (team.a / NOTE).is_file() and "~40 minutes" in (team.b / DEV).read_text(encoding="utf-8")
    assert status(Team.top(team.a)) == status(Team.top(team.b)) == set()


def test_the_persons_uncommitted_work_survives_a_sync_untouched(team: Team) -> None:
    edit_dev(team.a)
    sync(team.a)
    new_note(team.b)  # so that B's sync makes a real merge commit
    replace_in(team.b / PM, "# ", "# Half-written by Sam: ")
    write(team.b, "memory/episodic/code/draft.md", "not ready\n")
    pm_text = (team.b / PM).read_text(encoding="utf-8")
    report = sync(team.b)
    assert (report.merged, report.pushed) == (1, 2)
    assert (team.b / PM).read_text(encoding="utf-8") == pm_text
    assert status(Team.top(team.b)) == {f" M {BRAIN_DIR}/{PM}", f"?? {BRAIN_DIR}/memory/episodic/code/draft.md"}
    pushed = git(team.remote, "log", "--name-only", "--format=", "main~1..main")  # the merge and Sam's note
    assert PM not in pushed and "draft.md" not in pushed
    assert git(team.remote, "show", f"main:{BRAIN_DIR}/{PM}") == (FIXTURES / PM).read_text(encoding="utf-8")


def test_sync_refuses_to_overwrite_an_uncommitted_edit(team: Team) -> None:
    edit_dev(team.a)
    sync(team.a)
    replace_in(team.b / DEV, "~35 minutes", "~99 minutes")
    before = git(team.b, "rev-parse", "HEAD")
    with pytest.raises(GitError) as caught:
        sync(team.b)
    assert f"commit or stash your edit to {DEV}, then sync again" in str(caught.value)
    assert "~99 minutes" in (team.b / DEV).read_text(encoding="utf-8")
    assert git(team.b, "rev-parse", "HEAD") == before
    assert Repo.find(team.b).state() is None


def test_sync_refuses_a_real_merge_over_a_staged_change(team: Team) -> None:
    """git will not make a merge commit while anything is staged, so sync names the staged file."""
    edit_dev(team.a)
    sync(team.a)
    new_note(team.b)
    replace_in(team.b / PM, "# ", "# Staged by Sam: ")
    git(team.b, "add", PM)
    with pytest.raises(GitError, match=f"commit or stash your edit to {PM}, then sync again"):
        sync(team.b)
    assert f"M  {BRAIN_DIR}/{PM}" in status(Team.top(team.b))


def test_sync_without_a_remote_says_how_to_add_one(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "solo")
    with pytest.raises(GitError) as caught:
        sync(root)
    assert str(caught.value) == (
        f"{tmp_path / 'solo'} has no remote to sync with: add one (`git remote add origin <url>`), push once with "
        "`git push -u origin main`, then sync again"
    )


def test_sync_without_an_upstream_among_several_remotes(tmp_path: Path) -> None:
    root = new_repo(tmp_path / "r")
    git(root, "remote", "add", "origin", str(tmp_path / "x.git"))
    git(root, "remote", "add", "backup", str(tmp_path / "y.git"))
    with pytest.raises(GitError, match=r"branch main has no upstream .*`git push -u origin main`"):
        sync(root)


def test_a_new_repository_pushes_to_its_only_remote(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    root = new_repo(tmp_path / "r")
    git(root, "remote", "add", "origin", str(remote))  # no upstream configured
    assert sync(root).pushed == 1
    assert git(remote, "rev-parse", "main") == git(root, "rev-parse", "HEAD")


def test_the_remote_moving_during_the_push_is_merged_and_pushed_again(team: Team) -> None:
    """B's push lands while A pushes (a pre-push hook makes the race certain): A's push is
    rejected, sync fetches, merges and pushes again."""
    top_a, top_b = Team.top(team.a), Team.top(team.b)
    new_note(team.b, title="Sam's note")  # ready to push
    hook = top_a / ".git" / "hooks" / "pre-push"
    hook.write_text(
        "#!/bin/sh\n"
        f'[ -e "{top_a}/.git/raced" ] && exit 0\n'
        f'touch "{top_a}/.git/raced"\n'
        "unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX\n"
        f'git -C "{top_b}" push -q origin main\n',
        encoding="utf-8",
    )
    hook.chmod(0o755)
    edit_dev(team.a)
    report = sync(team.a)
    assert (report.merged, report.pushed, report.conflicts) == (1, 2, [])
    assert remote_head(team) == git(team.a, "rev-parse", "HEAD").strip()
    assert (team.a / NOTE).is_file()
    assert sync(team.b).merged == 2
    assert tree(team.a) == tree(team.b)


def _conflict(team: Team) -> None:
    """Both sides change the same line of an episode (merged line by line)."""
    replace_in(team.a / EPISODE, "**Duration:** 45 minutes", "**Duration:** 50 minutes")
    Repo.find(team.a).commit([EPISODE], "devlore: a")
    sync(team.a)
    replace_in(team.b / EPISODE, "**Duration:** 45 minutes", "**Duration:** 55 minutes")
    Repo.find(team.b).commit([EPISODE], "devlore: b")


def test_a_conflict_leaves_the_merge_in_progress_and_pushes_nothing(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    _conflict(team)
    remote_before = remote_head(team)
    assert main(["sync", "--root", str(team.b)]) == 1
    out = capsys.readouterr().out
    assert f"  {EPISODE}: line " in out and "unresolved merge conflict" in out
    assert "Resolve the marked lines, `git add` them, then `git commit` (or run `devlore sync` again)." in out
    repo = Repo.find(team.b)
    assert repo.state() == "merge" and remote_head(team) == remote_before
    marked = (team.b / EPISODE).read_text(encoding="utf-8")
    assert "<<<<<<< " in marked and "50 minutes" in marked and "55 minutes" in marked

    with pytest.raises(GitError, match=f"{EPISODE} still conflict"):
        sync(team.b)

    resolved = (
        marked.split("<<<<<<< ")[0] + "**Duration:** 52 minutes\n" + marked.split(">>>>>>> ")[1].split("\n", 1)[1]
    )
    (team.b / EPISODE).write_text(resolved, encoding="utf-8")
    git(team.b, "add", EPISODE)
    assert main(["sync", "--root", str(team.b)]) == 0  # concludes the merge, then pushes
    assert repo.state() is None and remote_head(team) == git(team.b, "rev-parse", "HEAD").strip()
    sync(team.a)
    assert "**Duration:** 52 minutes" in (team.a / EPISODE).read_text(encoding="utf-8")


def test_sync_will_not_conclude_a_merge_whose_staged_file_still_has_markers(team: Team) -> None:
    _conflict(team)
    sync(team.b)
    git(team.b, "add", EPISODE)  # markers and all
    with pytest.raises(GitError, match=f"{EPISODE}:\\d+ still has a conflict marker"):
        sync(team.b)
    assert Repo.find(team.b).state() == "merge"


def test_after_merge_results_are_folded_into_the_merge_commit(team: Team) -> None:
    edit_dev(team.a)
    sync(team.a)
    new_note(team.b)
    calls: list[int] = []

    def recompute() -> list[str]:
        calls.append(1)
        replace_in(team.b / GROWTH, "# ", "# Recomputed: ")
        return [GROWTH]

    report = sync(team.b, after_merge=recompute)
    assert calls == [1] and report.recomputed == [GROWTH]
    assert "Recomputed brain-health/growth-log.md in the merge commit." in report.message()
    head = git(team.b, "log", "-1", "--format=%P").split()
    assert len(head) == 2, "HEAD is the merge commit"
    assert "# Recomputed: " in git(team.b, "show", f"HEAD:{BRAIN_DIR}/{GROWTH}")
    assert status(Team.top(team.b)) == set()
    assert remote_head(team) == git(team.b, "rev-parse", "HEAD").strip()
    assert sync(team.a, after_merge=recompute).merged == 2 and calls == [1]  # a fast-forward: nothing to recompute


def test_after_merge_leaves_a_file_the_person_is_editing_uncommitted(team: Team) -> None:
    edit_dev(team.a)
    sync(team.a)
    new_note(team.b)
    replace_in(team.b / GROWTH, "# ", "# Sam's edit: ")

    def recompute() -> list[str]:
        replace_in(team.b / GROWTH, "# Sam's edit: ", "# Sam's edit, recomputed: ")
        return [GROWTH]

    report = sync(team.b, after_merge=recompute)
    assert report.recomputed == [] and any(GROWTH in note for note in report.notes)
    assert GROWTH in report.message()
    assert f" M {BRAIN_DIR}/{GROWTH}" in status(Team.top(team.b))


def test_an_episode_created_on_both_sides_is_kept_twice_and_committed(team: Team) -> None:
    ours = new_note(team.a, title="Alex's version")
    sync(team.a)
    theirs = new_note(team.b, title="Sam's version")
    report = sync(team.b)
    assert (report.conflicts, report.pushed) == ([], 2)
    beside = NOTE.replace(".md", "-2.md")
    assert (team.b / NOTE).read_text(encoding="utf-8") == theirs  # B's own stays at the path
    assert (team.b / beside).read_text(encoding="utf-8") == ours
    assert git(team.b, "show", f"HEAD:{BRAIN_DIR}/{beside}") == ours
    assert status(Team.top(team.b)) == set()
    sync(team.a)
    assert tree(team.a) == tree(team.b)


def test_both_sides_add_examples_to_the_same_pattern(team: Team) -> None:
    """The team-brain promise: two people reinforce one pattern, and sync keeps both examples."""
    from datetime import date

    from devlore.service.brain import Brain
    from devlore.service.patterns import add_example

    def reinforce(root: Path, example: str) -> None:
        add_example(Brain(root, today=lambda: date(2026, 11, 21)), "Cache Keys Carry a Schema Version", example)
        changed = [line[3:].removeprefix(f"{BRAIN_DIR}/") for line in status(Team.top(root))]
        assert Repo.find(root).commit(changed, "devlore: add_example") is not None

    reinforce(team.a, "Ledgerline - report cache (2026-11) - Shipped the v3 key with the model change")
    sync(team.a)
    reinforce(team.b, "Harbor Portal - rates cache (2026-11) - No flush needed on rollout")
    report = sync(team.b)
    assert report.conflicts == [], report.message()
    sync(team.a)
    merged = (team.a / DEV).read_text(encoding="utf-8")
    assert "report cache" in merged and "rates cache" in merged
    assert tree(team.a) == tree(team.b)


def test_cli_sync_reports_git_errors_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = new_repo(tmp_path / "solo")
    shutil.rmtree(root / ".git" / "hooks", ignore_errors=True)
    assert main(["sync", "--root", str(root)]) == 2
    assert "has no remote to sync with" in capsys.readouterr().err


def test_a_clone_of_an_empty_remote_catches_up(tmp_path: Path) -> None:
    """B cloned before anything was pushed (no commit yet); A pushes the brain; B's sync checks it out."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(tmp_path, "clone", "-q", str(remote), "b")
    a = new_repo(tmp_path / "a")
    git(a, "remote", "add", "origin", str(remote))
    assert sync(a).pushed == 1
    b = tmp_path / "b"
    write(b, "notes.txt", "Sam's own file\n")
    report = sync(b)
    assert (report.merged, report.pushed) == (1, 0)
    assert tree(b) == tree(a) and (b / DEV).is_file()
    assert status(b) == {"?? notes.txt"}
