"""``devlore init --example DIR``: a fresh copy of the example brain, as the README's first command
uses it."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from devlore.cli import main

REPO = Path(__file__).resolve().parent.parent.parent
EXAMPLE = REPO / "memory_fixtures"
README = (REPO / "README.md").read_text(encoding="utf-8")


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root``, by its POSIX path relative to it, as bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_init_example_writes_an_exact_copy_of_the_example_brain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "my-brain"
    assert main(["init", "--example", str(dest)]) == 0
    out = capsys.readouterr().out
    assert tree(dest) == tree(EXAMPLE)
    assert out == (
        f"Wrote a copy of the example brain to {dest}: INDEX.md, brain-health/ (2 files), memory/ "
        f"({sum(1 for p in (EXAMPLE / 'memory').rglob('*') if p.is_file())} files), projects/ (1 file).\n"
        f"Serve it with:\n  devlore serve --root {dest}\n"
    )


def test_init_example_fills_an_empty_folder(tmp_path: Path) -> None:
    dest = tmp_path / "empty"
    dest.mkdir()
    assert main(["init", "--example", str(dest)]) == 0
    assert tree(dest) == tree(EXAMPLE)


def test_init_example_refuses_a_folder_with_anything_in_it_and_leaves_it_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "mine"
    (dest / "memory").mkdir(parents=True)
    (dest / "memory" / "notes.md").write_bytes(b"my own notes\n")
    assert main(["init", "--example", str(dest)]) == 2
    captured = capsys.readouterr()
    assert tree(dest) == {"memory/notes.md": b"my own notes\n"}
    assert [p.relative_to(dest).as_posix() for p in sorted(dest.rglob("*"))] == ["memory", "memory/notes.md"]
    assert captured.out == ""
    assert captured.err == (
        f"devlore: {dest} is not an empty folder, so the example brain was not copied there (nothing was "
        "changed): give a new folder, e.g. `devlore init --example ./my-brain`.\n"
    )


def test_init_example_without_a_folder_says_to_give_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--example"]) == 2
    assert capsys.readouterr().err == (
        "devlore: give the folder to copy the example brain into: devlore init --example ./my-brain\n"
    )


def test_the_readme_first_command_copies_the_example_brain_with_the_installed_devlore(tmp_path: Path) -> None:
    first = re.search(r"```bash\n(.*?)\n```", README, re.S)
    assert first is not None
    steps = [shlex.split(step) for step in first.group(1).split(" && ")]
    init = next(step for step in steps if step[1:3] == ["init", "--example"])
    assert init[0] == ".venv/bin/devlore"
    devlore = Path(sys.executable).parent / "devlore"  # the installed console script of this environment
    done = subprocess.run(
        [str(devlore), *init[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stderr) == (0, "")
    target = tmp_path / init[3]
    assert tree(target) == tree(EXAMPLE)
    serve = steps[steps.index(init) + 1]
    assert serve[1:] == ["serve", "--root", init[3]], "the quick start serves the copy it just made"


def test_init_example_names_the_copy_by_its_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--example", "my-brain"]) == 0
    out = capsys.readouterr().out
    assert f"Serve it with:\n  devlore serve --root {(tmp_path / 'my-brain').resolve()}\n" in out
