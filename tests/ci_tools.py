"""The outside tools some tests drive (Node 22, the MCP inspector, the Claude Code CLI, Debian's
chromium), installed on first use by the same ``.ci/`` scripts CI runs, into their cache."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
INSTALL_TIMEOUT = 900.0  # a first download of the Claude Code CLI or chromium on a slow line


def install(script: str, *args: str, needs: str) -> dict[str, str]:
    """Run ``bash .ci/<script> <args>``; its ``name=path`` output lines as a dict. A failure
    fails the test with what to install (``needs``) and the script's own words."""
    done = subprocess.run(
        ["bash", str(REPO / ".ci" / script), *args],
        env={**os.environ, "CI": "true"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        command = " ".join(["bash", f".ci/{script}", *args])
        pytest.fail(f"installing with {command} failed; {needs}:\n{done.stderr}", pytrace=False)
    return dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
