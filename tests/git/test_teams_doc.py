"""docs/TEAMS.md's recipe, run as written in a shell; then the two clones it makes grow one
pattern each and converge through `devlore sync`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from devlore.codec.patterns import PatternFile
from devlore.git import Repo
from devlore.service import patterns
from devlore.service.brain import Brain
from devlore.service.commits import AutoCommit
from tests.git.conftest import git

DOC = Path(__file__).resolve().parents[2] / "docs/TEAMS.md"
DEV = "memory/semantic/patterns/dev-patterns.md"


def recipe() -> str:
    blocks = re.findall(r"```bash\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "TEAMS.md has one recipe block"
    return blocks[0]


def run(cwd: Path, script: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # this devlore
    env["HOME"] = str(cwd)
    env.pop("DEVLORE_ROOT", None)
    with open(os.environ["GIT_CONFIG_GLOBAL"], "a", encoding="utf-8") as config:
        config.write("[user]\n\tname = Pat\n\temail = pat@example.com\n")
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_recipe_runs_as_written_and_its_clones_merge_by_meaning(tmp_path: Path) -> None:
    done = run(tmp_path, recipe())
    assert done.returncode == 0, done.stderr
    brain, sam = tmp_path / "brain", tmp_path / "brain-sam"

    for root in (brain, sam):
        assert git(root, "check-attr", "merge", "--", DEV).strip().endswith("merge: devlore")
        assert git(root, "check-ignore", ".devlore/index.sqlite").strip() == ".devlore/index.sqlite"
        assert "merge-driver %O %A %B %P" in git(root, "config", "merge.devlore.driver")
        assert "devlore check --staged" in (root / ".git/hooks/pre-commit").read_text(encoding="utf-8")

    def auto(root: Path) -> AutoCommit:
        return AutoCommit(Brain(root), Repo.find(root))

    a = auto(brain)
    a.run(
        "add_pattern",
        lambda: patterns.add_pattern(
            a.brain, name="Shared Lesson", pattern="p", context="c", example="Start (2026-11-22) - ok"
        ),
    )
    a.sync()
    b = auto(sam)
    b.sync()
    a.run("add_example", lambda: patterns.add_example(a.brain, "Shared Lesson", "Pat - laptop (2026-11-22) - ok"))
    b.run("add_example", lambda: patterns.add_example(b.brain, "Shared Lesson", "Sam - desktop (2026-11-22) - ok"))
    for side in (a, b, a):
        report = side.sync()
        assert report.conflicts == []

    assert (brain / DEV).read_bytes() == (sam / DEV).read_bytes()
    entry = PatternFile.parse((brain / DEV).read_text(encoding="utf-8")).entries[0]
    assert [x.number for x in entry.examples] == [1, 2, 3]
    assert entry.stated == "MEDIUM"
    assert git(brain, "rev-parse", "HEAD") == git(sam, "rev-parse", "HEAD")
    assert a.last_sync is not None and "Synced" in a.last_sync
