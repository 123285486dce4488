"""``devlore import-worklog``: existing logs come in and continue at the next version."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from mcp import Client

from devlore.cli import main
from devlore.server import build_server
from devlore.service.brain import Brain
from tests.server.test_pattern_tools import ok

pytestmark = pytest.mark.anyio


def entry(n: int, title: str, body: str) -> str:
    return f"## v{n} | 2026-10-0{n} 10:00 | {title}\n{body}\n"


SET = {
    "Search-Revamp-WorkLog-v1.md": "# Search Revamp Work Log\n\n"
    + entry(1, "Spike", "**Now:** Spike on trigram index"),
    "Search-Revamp-WorkLog-v3.md": (
        "---\nversion: v3\nstatus: blocked\nowner_team: search  # kept as written\n---\n\n"
        "# Search Revamp Work Log\n\n"
        + entry(1, "Spike", "**Now:** Spike on trigram index\n**Progress:** 10%")
        + "\n"
        + entry(2, "Index build", "**Now:** Nightly index job\n**Progress:** 45%\n**Next:**\n- [HIGH] Backfill")
        + "\n"
        + entry(
            3,
            "Backfill [BLOCKED]",
            "**Prev:** v2: Nightly index job\n**Now:** Backfill the index\n**Progress:** 55% | Job ✅ | Backfill ⏳\n"
            "**Blockers:** Read replica quota exhausted\n- Owner: @dba-team\n- Requested: 2026-10-03 11:00\n"
            "- ETA: 2 days\n**Next:**\n- [HIGH] [BLOCKED] Run the backfill\n- [MED] Relevance tests",
        )
    ),
    "Search-Revamp-WorkLog-v2.md": "# Search Revamp Work Log\n\n" + entry(2, "Index build", "**Now:** x"),
}

DEVLOG = (
    "# Billing devlog\n\n"
    "## 2026-09-01 09:00 | Invoice model\nStarted the invoice model.\n\n"
    "```\n## 2026-09-01 10:00 | not a heading inside a fence\n```\n\n"
    "## 2026-09-02 14:30 | Tax rules\n**Progress:** 30%\n**Next:**\n- [HIGH] VAT for EU customers\n"
)


def test_a_versioned_set_imports_its_highest_version_and_continues_at_v4(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "old-logs"
    source.mkdir()
    for name, text in SET.items():
        (source / name).write_text(text, encoding="utf-8")
    code = main(["import-worklog", "--root", str(root), str(source / "Search-Revamp-WorkLog-v1.md")])
    assert code == 0
    assert capsys.readouterr().out == (
        "Imported Search-Revamp-WorkLog-v3.md as memory/worklogs/Search-Revamp-WorkLog.md (v3, blocked); "
        "the next session continues at v4.\n"
    )
    imported = (root / "memory/worklogs/Search-Revamp-WorkLog.md").read_text(encoding="utf-8")
    assert imported == SET["Search-Revamp-WorkLog-v3.md"]


async def test_the_imported_log_continues_at_v4_and_its_brief_names_the_blocker(
    root: Path, tmp_path: Path, mode: str
) -> None:
    for name, text in SET.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert main(["import-worklog", "--root", str(root), str(tmp_path / "Search-Revamp-WorkLog-v2.md")]) == 0
    brain = Brain(root, now=lambda: datetime(2026, 10, 5, 9, 0))
    async with Client(build_server(brain), mode=mode) as client:
        opened = await ok(client, "open_worklog", {"name": "Search Revamp"})
    assert opened["version"] == "v4"
    assert opened["status"] == "blocked"
    assert (
        "Blocker: Read replica quota exhausted (owner @dba-team, ETA 2 days, since 2026-10-03 11:00)"
        in (opened["brief"])
    )
    text = (root / "memory/worklogs/Search-Revamp-WorkLog.md").read_text(encoding="utf-8")
    assert text.startswith("---\nversion: v4\nstatus: blocked\nowner_team: search  # kept as written\n---\n")
    assert text.endswith(
        "\n## v4 | 2026-10-05 09:00 | Backfill [BLOCKED]\n"
        "**Prev:** v3: Backfill the index (blocked)\n"
        "**Progress:** 55% | Job ✅ | Backfill ⏳\n"
        "**Blockers:** Read replica quota exhausted\n- Owner: @dba-team\n- Requested: 2026-10-03 11:00\n"
        "- ETA: 2 days\n"
        "**Next:**\n- [HIGH] [BLOCKED] Run the backfill\n- [MED] Relevance tests\n"
    )


def test_a_devlog_imports_with_versions_in_order(root: Path, tmp_path: Path) -> None:
    (tmp_path / "DEVLOG.md").write_text(DEVLOG, encoding="utf-8")
    assert main(["import-worklog", "--root", str(root), "--name", "Billing", str(tmp_path / "DEVLOG.md")]) == 0
    text = (root / "memory/worklogs/Billing-WorkLog.md").read_text(encoding="utf-8")
    assert text == (
        "---\nversion: v2\nstatus: in_progress\n---\n\n"
        + DEVLOG.replace("## 2026-09-01 09:00 |", "## v1 | 2026-09-01 09:00 |").replace(
            "## 2026-09-02 14:30 |", "## v2 | 2026-09-02 14:30 |"
        )
    )


def test_importing_over_an_existing_log_is_refused(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "DEVLOG.md").write_text(DEVLOG, encoding="utf-8")
    assert main(["import-worklog", "--root", str(root), "--name", "Billing", str(tmp_path / "DEVLOG.md")]) == 0
    before = (root / "memory/worklogs/Billing-WorkLog.md").read_bytes()
    assert main(["import-worklog", "--root", str(root), "--name", "Billing", str(tmp_path / "DEVLOG.md")]) == 1
    assert "memory/worklogs/Billing-WorkLog.md exists already" in capsys.readouterr().err
    assert (root / "memory/worklogs/Billing-WorkLog.md").read_bytes() == before


def test_a_file_without_entries_is_refused_with_the_shapes_it_takes(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "WorkLog.md").write_text("# Notes\n\nJust prose.\n", encoding="utf-8")
    assert main(["import-worklog", "--root", str(root), str(tmp_path / "WorkLog.md")]) == 1
    assert "no entries found: expected '## vN | YYYY-MM-DD HH:MM | Title'" in capsys.readouterr().err
    assert [p.name for p in (root / "memory/worklogs").iterdir()] == ["Ledger-Export-WorkLog.md"]
