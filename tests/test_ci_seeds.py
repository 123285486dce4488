""".ci/seeds.py, the seed check .ci/run makes after pytest, works on files in the upstream
layout and passes, saying so, when the seed folder is not there. The fixture brain's format A
pattern files stand in for the seeds, so the script is exercised on every clone."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import CONTENT, FIXTURES, PM

REPO = Path(__file__).resolve().parent.parent
CI_RUN = (REPO / ".ci" / "run").read_text(encoding="utf-8")


def load() -> ModuleType:
    """.ci/seeds.py as a module (registered first: its dataclass looks its module up)."""
    if (module := sys.modules.get("ci_seeds")) is not None:
        return module
    spec = importlib.util.spec_from_file_location("ci_seeds", REPO / ".ci" / "seeds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["ci_seeds"] = module
    spec.loader.exec_module(module)
    return module


def test_ci_runs_the_seed_check_after_pytest() -> None:
    assert CI_RUN.index('\n"$bin/pytest"\n') < CI_RUN.index('"$bin/python" .ci/seeds.py')


def test_format_a_files_pass_with_every_entry_at_its_earned_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for rel in (PM, CONTENT):
        shutil.copy(FIXTURES / rel, tmp_path)

    assert load().main(["seeds.py", str(tmp_path)]) == 0

    out = capsys.readouterr().out
    assert "pm-patterns.md: devlore lists 4 patterns, a plain reading finds 4" in out
    assert "ok   Kill Criteria in Every Experiment Brief: 5 examples -> HIGH (written HIGH)" in out
    assert "ok   Write the Changelog Entry Before the Spec: 1 example -> LOW (written LOW)" in out
    assert "content-patterns.md: devlore lists 3 patterns, a plain reading finds 3" in out
    assert "FAIL" not in out
    assert out.endswith("seed check: 2 of 2 seed files pass\n")


def test_a_file_devlore_cannot_parse_fails_the_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (FIXTURES / PM).read_text(encoding="utf-8")
    (tmp_path / "pm-patterns.md").write_text(text + "\n```python\nnever closed\n", encoding="utf-8")

    assert load().main(["seeds.py", str(tmp_path)]) == 1

    out = capsys.readouterr().out
    assert "FAIL pm-patterns.md: devlore check:" in out
    assert out.endswith("seed check: 0 of 1 seed files pass\n")


def test_an_absent_seed_folder_is_skipped_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "shared" / "seeds"

    assert load().main(["seeds.py", str(missing)]) == 0

    assert capsys.readouterr().out == (
        f"seed check skipped: {missing} is not there (CI checks it out beside the repository; a clone has none)\n"
    )
