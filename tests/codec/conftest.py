"""Codec-suite fixtures: golden files under ``tests/golden/`` and the ``--update-golden`` flag.

Regenerate goldens with ``pytest tests/codec --update-golden`` (the flag is registered here, so
pass the ``tests/codec`` path), then read ``git diff tests/golden`` hunk by hunk against
docs/FORMAT.md §3 ("How the tools edit pattern files") before keeping it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "golden"

Golden = Callable[[str, bytes], None]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from the current output instead of comparing with it",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """``golden("case/file.md", actual_bytes)``: full-text equality with the stored golden file."""
    update = bool(request.config.getoption("--update-golden", default=False))

    def check(name: str, actual: bytes) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(actual)
            return
        if not path.is_file():
            pytest.fail(f"golden file tests/golden/{name} is missing: run `pytest tests/codec --update-golden`")
        assert actual.decode("utf-8") == path.read_bytes().decode("utf-8")

    return check
