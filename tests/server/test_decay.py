"""Optional decay (``serve --decay-days N``): patterns without an example for N days rank one
level lower and are marked, the file is never rewritten for it, and a new example or
upgrade_confidence restores them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from devlore.service.brain import Brain
from tests.conftest import DEV, ClientFactory, snapshot
from tests.server.test_pattern_tools import ok

pytestmark = pytest.mark.anyio

IDEMPOTENCY = "Idempotency Keys on Webhook Handlers"  # MEDIUM, last example 2026-04-02


async def test_a_decayed_pattern_ranks_a_level_lower_and_is_marked_without_a_write(
    connect: ClientFactory, brain: Brain, root: Path
) -> None:
    async with connect() as client:
        plain = await ok(client, "recall", {"query": "webhook idempotency keys"})
        before = snapshot(root)
        brain.decay_days = 60
        listed = await ok(client, "list_patterns", {"level": "LOW"})
        got = await ok(client, "get_pattern", {"pattern": IDEMPOTENCY})
        faded = await ok(client, "recall", {"query": "webhook idempotency keys"})
        assert snapshot(root) == before

    row = next(p for p in listed["patterns"] if p["name"] == IDEMPOTENCY)
    assert row["decayed"] is True and row["evidence_level"] == "MEDIUM"
    assert "Feature Flags Default Off in Code" in {p["name"] for p in listed["patterns"]}
    assert got["evidence_level"] == "MEDIUM"
    score = {h["title"]: h["score"] for h in plain["hits"]}[IDEMPOTENCY]
    lowered = {h["title"]: h["score"] for h in faded["hits"]}[IDEMPOTENCY]
    assert lowered == pytest.approx(score * 1.01 / 1.02, rel=1e-3)


async def test_upgrade_confidence_or_a_new_example_restores_a_decayed_pattern(
    connect: ClientFactory, brain: Brain, root: Path
) -> None:
    brain.decay_days = 60
    async with connect() as client:
        await ok(client, "upgrade_confidence", {"pattern": IDEMPOTENCY})
        restored = await ok(client, "list_patterns", {"domain": "dev"})
        await ok(client, "add_example", {"pattern": "Redact Secrets", "example": "Shop - logs (2026-11-20) - ok"})
        redacted = await ok(client, "list_patterns", {"domain": "dev"})

    rows = {p["name"]: p for p in restored["patterns"]}
    assert rows[IDEMPOTENCY]["decayed"] is False and rows[IDEMPOTENCY]["last_reinforced"] == "2026-11-21"
    assert rows["Redact Secrets in the Log Formatter"]["decayed"] is True
    assert {p["name"]: p for p in redacted["patterns"]}["Redact Secrets in the Log Formatter"]["decayed"] is False
    assert "**Last reinforced:** 2026-11-21" in (root / DEV).read_text(encoding="utf-8")


def test_serve_refuses_a_decay_of_less_than_a_day(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "devlore", "serve", "--root", str(tmp_path), "--decay-days", "0"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == "devlore: --decay-days must be 1 or more (days without a new example).\n"
