"""memory_stats with suggest through the real MCP client: planted near-duplicates, a recurring
lesson, a stale HIGH pattern and a HIGH pattern without a workflow are each found; the example
brain without plants stays quiet."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DEV, ClientFactory
from tests.server.test_pattern_tools import ok

pytestmark = pytest.mark.anyio

OPS = "memory/semantic/patterns/ops-patterns.md"


def entry(name: str, level: str, examples: list[str], context: str, pattern: str) -> str:
    numbered = "\n".join(f"{n}. {x}" for n, x in enumerate(examples, 1))
    last = max(x.split("(")[1][:10] for x in examples)
    return (
        f"## {name}\n\n**Confidence:** {level}\n**Based on:** {len(examples)} examples\n"
        f"**Last reinforced:** {last}\n\n**Context:**\n{context}\n\n**Pattern:**\n{pattern}\n\n"
        f"**Examples:**\n{numbered}\n\n---\n\n"
    )


POOL_CONTEXT = "A web service opens a fresh database connection for every request and runs out under load."
POOL_PATTERN = "Share one bounded pool per process, sized from the server's max_connections."


def note(day: str, slug: str, title: str, lesson: str) -> tuple[str, str]:
    text = (
        f"# {title} - infra - {day}\n\n## Context\n**Project:** Infra\n**Goal:** Upgrade modules\n\n"
        f"## What Happened\nThe plan changed resources nobody touched.\n\n## Solution\nRolled back.\n\n"
        f"## Outcome\n**Result:** PARTIAL\n\n## Next Time\n{lesson}\n"
    )
    return f"memory/episodic/code/{day}-{slug}.md", text


@pytest.fixture
def planted(root: Path) -> Path:
    dev = root / DEV
    text = dev.read_text(encoding="utf-8")
    marker = "## Pattern Growth Tracking"
    plants = entry(
        "Pool Database Connections",
        "MEDIUM",
        ["Ledgerline - API pods (2026-06-02) - errors gone", "Harbor Portal - workers (2026-07-09) - p99 halved"],
        POOL_CONTEXT,
        POOL_PATTERN,
    ) + entry(
        "Write the Rollback Before the Deploy",
        "HIGH",
        [f"Project {n} - release (2026-11-0{n}) - rolled back in minutes" for n in range(1, 6)],
        "A release that changes configuration or data.",
        "Write the exact rollback commands into the release ticket before deploying.",
    )
    dev.write_text(text.replace(marker, plants + marker, 1), encoding="utf-8")
    (root / OPS).write_text(
        "# Ops Patterns\n\n"
        + entry(
            "Database Connection Pooling",
            "LOW",
            ["Tidepool Analytics - ingest (2026-08-01) - no more exhausted connections"],
            "Services exhaust database connections under load.",
            "Use a bounded connection pool per process.",
        )
        + entry(
            "pool database connections!",
            "LOW",
            ["Internal CLI - sync daemon (2026-09-01) - one pool instead of a connection per call"],
            POOL_CONTEXT,
            POOL_PATTERN,
        )
        + entry(
            "Page the Owner, Not the Channel",
            "HIGH",
            [f"Service {n} - incident (2026-0{n}-10) - owner answered in minutes" for n in range(1, 6)],
            "An alert fires outside working hours.",
            "Route every alert to one named owner with a phone, never to a shared channel.",
        ),
        encoding="utf-8",
    )
    lesson = "Pin the terraform provider in the lockfile before upgrading modules; review the plan diff."
    for day, slug in (("2026-09-03", "vpc-upgrade"), ("2026-10-08", "dns-module"), ("2026-11-12", "iam-module")):
        rel, body = note(day, slug, f"Terraform {slug}", lesson)
        (root / rel).write_text(body, encoding="utf-8")
    return root


async def test_suggest_finds_each_planted_candidate_with_its_evidence(connect: ClientFactory, planted: Path) -> None:
    async with connect() as client:
        stats = await ok(client, "memory_stats", {"suggest": True})

    found = {(s["kind"], s["text"]): s["evidence"] for s in stats["suggestions"]}
    kinds = [s["kind"] for s in stats["suggestions"]]
    assert kinds == sorted(kinds, key=["merge", "new_pattern", "revalidate", "promote", "almost"].index)
    merge = next(text for kind, text in found if kind == "merge")
    assert merge == (
        "Merge 'Database Connection Pooling' (ops), 'pool database connections!' (ops) into "
        "'Pool Database Connections' (dev)? (revise_pattern merge_into)"
    )
    assert any("same name once normalised" in e for e in found[("merge", merge)])
    lesson = next((text, ev) for (kind, text), ev in found.items() if kind == "new_pattern")
    assert lesson[0].startswith("3 experiences share a lesson no pattern covers")
    assert sorted(e.split(" (")[-1] for e in lesson[1][1:]) == [
        "memory/episodic/code/2026-09-03-vpc-upgrade.md)",
        "memory/episodic/code/2026-10-08-dns-module.md)",
        "memory/episodic/code/2026-11-12-iam-module.md)",
    ]
    assert (
        "revalidate",
        "'Page the Owner, Not the Channel' is HIGH but has no example since 2026-05-10: still true?",
    ) in found
    assert ("promote", "'Write the Rollback Before the Deploy' is HIGH with no workflow: promote_to_workflow?") in found
    assert all(evidence for evidence in found.values())


async def test_the_example_brain_gets_at_most_three_justified_suggestions(connect: ClientFactory) -> None:
    async with connect() as client:
        stats = await ok(client, "memory_stats", {"suggest": True})
        plain = await ok(client, "memory_stats", {})

    assert [(s["kind"], s["text"]) for s in stats["suggestions"]] == [
        ("promote", "'Kill Criteria in Every Experiment Brief' is HIGH with no workflow: promote_to_workflow?"),
        ("promote", "'Lead with the Failure, Then the Fix' is HIGH with no workflow: promote_to_workflow?"),
        (
            "almost",
            "'Interview Five Users Before Sizing a Feature' is 2 examples short of HIGH and was used on 2026-11-03.",
        ),
    ]
    assert plain["suggestions"] == []
