"""The hook contract: each ``devlore hook`` command fed the JSON Claude Code sends for its event,
through the real command, checked for the exact output shape, the budget, the order and the
fail-open behaviour (missing root, bad input, a corrupted log or index, a held index lock)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from devlore.service.brain import Brain
from devlore.service.index import Index
from devlore.service.worklog_files import load
from devlore.service.worklog_views import brief
from tests.hosts.conftest import Home

LOG = """---
version: v{v}
status: {status}
{extra}---

# {title} Work Log

## v{v} | 2026-11-2{v} 09:00 | {now}
**Prev:** Starting new work
**Now:** {now}
**Progress:** 30% | {now} ⏳
**Next:**
- [HIGH] {todo}
- [LOW] Tidy the fixtures
"""


def write_log(brain: Path, name: str, status: str = "in_progress", project: str | None = None, v: int = 1) -> str:
    rel = f"memory/worklogs/{name}-WorkLog.md"
    extra = f"project: {project}\n" if project else ""
    text = LOG.format(v=v, status=status, extra=extra, title=name, now=f"{name} step {v}", todo=f"Finish {name}")
    (brain / rel).write_text(text, encoding="utf-8")
    return rel


@pytest.fixture
def shop(home: Home) -> Home:
    """A project 'shop' (git remote 'shop-api', a README, Python) whose brain has three logs of
    its own (one tied by ``project:``, two by name, one of those completed) and an index."""
    (home.project / ".git").mkdir()
    (home.project / ".git" / "config").write_text(
        '[core]\n\tbare = false\n[remote "origin"]\n\turl = git@example.com:acme/shop-api.git\n', encoding="utf-8"
    )
    (home.project / "README.md").write_text("# Shop API\n\nOrders and payments.\n", encoding="utf-8")
    (home.project / "pyproject.toml").write_text("[project]\nname = 'shop'\n", encoding="utf-8")
    write_log(home.brain, "Checkout-Rewrite", project="shop", v=2)
    write_log(home.brain, "shop-api-search")
    write_log(home.brain, "Shop-Legacy", status="completed")
    write_log(home.brain, "Unrelated", project="billing")
    index = Index(Brain(home.brain))
    index.validate()
    index.close()
    return home


def event(home: Home, name: str, payload: dict[str, Any], *args: str, cwd: Path | None = None) -> str:
    data = {"session_id": "s1", "transcript_path": "", "cwd": str(cwd or home.project), **payload}
    done = home.devlore("hook", name, "--root", str(home.brain), *args, stdin=json.dumps(data))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


def context(out: str, event_name: str) -> str:
    answer = json.loads(out)
    assert list(answer) == ["hookSpecificOutput"]
    assert list(answer["hookSpecificOutput"]) == ["hookEventName", "additionalContext"]
    assert answer["hookSpecificOutput"]["hookEventName"] == event_name
    text = answer["hookSpecificOutput"]["additionalContext"]
    assert isinstance(text, str)
    return text


def service_brief(home: Home, name: str) -> str:
    rel = f"memory/worklogs/{name}-WorkLog.md"
    return brief(Brain(home.brain), name, load(rel, (home.brain / rel).read_text(encoding="utf-8")))


def hooks_log(home: Home) -> str:
    path = home.brain / ".devlore" / "hooks.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_session_start_gives_the_projects_briefs_first_then_its_patterns(shop: Home) -> None:
    started = {"hook_event_name": "SessionStart", "source": "startup"}
    text = context(event(shop, "session-start", started), "SessionStart")

    lines = text.split("\n")
    assert lines[0] == "devlore memory for shop:"
    tied, named = service_brief(shop, "Checkout-Rewrite"), service_brief(shop, "shop-api-search")
    assert text.startswith(f"devlore memory for shop:\nWork log {tied}\nWork log {named}\n")
    assert "Shop-Legacy" not in text and "Unrelated" not in text  # completed; another project's
    patterns = lines[lines.index("Patterns that apply (python):") + 1 :]
    assert patterns and all(p.startswith(("- [HIGH] ", "- [MEDIUM] ")) for p in patterns)
    assert len(text) <= 4_000
    assert hooks_log(shop) == ""


def test_the_budget_holds_and_keeps_the_best_first(shop: Home) -> None:
    text = context(event(shop, "session-start", {"source": "startup"}, "--budget", "400"), "SessionStart")

    assert len(text) <= 400
    assert text.startswith("devlore memory for shop:\nWork log Checkout-Rewrite v2 (in_progress)")
    assert "Patterns that apply" not in text


def test_a_small_budget_cuts_the_best_part_and_a_tiny_one_says_nothing(shop: Home) -> None:
    text = context(event(shop, "session-start", {"source": "startup"}, "--budget", "150"), "SessionStart")
    tied = service_brief(shop, "Checkout-Rewrite")

    assert len(text) == 150
    assert text == f"devlore memory for shop:\nWork log {tied}"[:149] + "…"
    assert event(shop, "session-start", {"source": "startup"}, "--budget", "60") == ""


def test_many_open_logs_stay_within_the_default_budget(shop: Home) -> None:
    for i in range(12):
        write_log(shop.brain, f"shop-part-{i}", v=3)

    text = context(event(shop, "session-start", {"source": "resume"}), "SessionStart")

    assert 3_000 < len(text) <= 4_000
    assert text.split("\n")[1].startswith("Work log Checkout-Rewrite v2")


def test_after_a_compaction_the_assistant_is_told_to_update_the_log_first(shop: Home) -> None:
    text = context(event(shop, "session-start", {"source": "compact"}), "SessionStart")

    assert text.split("\n")[1] == (
        "Context was just compacted: bring the work log up to date (update_worklog) before going on."
    )


def test_a_project_without_logs_gets_only_patterns(shop: Home) -> None:
    other = shop.project.parent / "inventory"
    other.mkdir()
    (other / "pyproject.toml").write_text("", encoding="utf-8")

    text = context(event(shop, "session-start", {"source": "startup"}, cwd=other), "SessionStart")

    assert text.startswith("devlore memory for inventory:\nPatterns that apply (python):\n- [")
    assert "Work log" not in text


def test_a_folder_with_nothing_relevant_gets_nothing_at_all(shop: Home) -> None:
    empty = shop.project.parent / "zzyzx"
    empty.mkdir()

    assert event(shop, "session-start", {"source": "startup"}, cwd=empty) == ""


def test_no_brain_at_the_root_gives_nothing_and_creates_nothing(home: Home) -> None:
    missing = home.home / "no-brain"
    done = home.devlore("hook", "session-start", "--root", str(missing), stdin='{"cwd": "/"}')

    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert not missing.exists()


def test_input_that_is_not_json_gives_nothing_and_is_logged(shop: Home) -> None:
    done = shop.devlore("hook", "session-start", "--root", str(shop.brain), stdin="{not json")

    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert "session-start: JSONDecodeError: " in hooks_log(shop)


def test_a_corrupted_log_is_left_out_and_logged(shop: Home) -> None:
    (shop.brain / "memory/worklogs/shop-api-search-WorkLog.md").write_bytes(b"---\nversion: v1\n\xff\xfe broken\n")

    text = context(event(shop, "session-start", {"source": "startup"}), "SessionStart")

    assert text.startswith("devlore memory for shop:\nWork log Checkout-Rewrite v2")
    assert "shop-api-search" not in text
    assert "memory/worklogs/shop-api-search-WorkLog.md left out: " in hooks_log(shop)


def test_a_corrupted_index_costs_the_patterns_not_the_briefs(shop: Home) -> None:
    for leftover in (shop.brain / ".devlore").glob("index.sqlite*"):
        leftover.unlink()
    (shop.brain / ".devlore" / "index.sqlite").write_bytes(b"this is not a database" * 100)

    text = context(event(shop, "session-start", {"source": "startup"}), "SessionStart")

    assert "Work log Checkout-Rewrite" in text
    assert "Patterns that apply" not in text
    assert "patterns skipped: " in hooks_log(shop)


def test_an_index_locked_by_another_process_is_given_up_on_while_the_lock_is_held(shop: Home) -> None:
    holder = sqlite3.connect(shop.brain / ".devlore" / "index.sqlite", isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:  # the lock is held for the whole call: the hook must answer without it
        text = context(event(shop, "session-start", {"source": "startup"}), "SessionStart")
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert "Work log Checkout-Rewrite" in text
    assert "Patterns that apply" not in text
    assert "locked" in hooks_log(shop)


def test_the_prompt_hook_adds_a_few_strong_hits_and_nothing_for_chat(shop: Home) -> None:
    asked = {"hook_event_name": "UserPromptSubmit", "prompt": "how do I avoid N+1 queries when loading related rows?"}
    text = context(event(shop, "prompt", asked), "UserPromptSubmit")

    hits = text.split("\n")[1:]
    assert text.split("\n")[0] == "devlore recall for this prompt:"
    assert 1 <= len(hits) <= 3
    assert hits[0].startswith("- [pattern] Batch Loading Related Rows (")
    assert len(text) <= 1_500
    for chat in ("thanks!", "ok, go on", "yes please do that now"):
        assert event(shop, "prompt", {"prompt": chat}) == ""


def test_pre_compact_and_session_end_remind_only_when_there_is_something_to_keep(shop: Home) -> None:
    compact = json.loads(event(shop, "pre-compact", {"hook_event_name": "PreCompact", "trigger": "auto"}))
    end = json.loads(event(shop, "session-end", {"hook_event_name": "SessionEnd", "reason": "exit"}))

    assert list(compact) == ["systemMessage"] and list(end) == ["systemMessage"]
    assert compact["systemMessage"].startswith(
        "devlore: before the context is compacted, bring the work log Checkout-Rewrite, shop-api-search up to date"
    )
    assert "resume_work" in end["systemMessage"]
    elsewhere = shop.project.parent / "zzyzx"
    elsewhere.mkdir()
    assert event(shop, "pre-compact", {"trigger": "manual"}, cwd=elsewhere) == ""


def test_a_session_that_called_devlore_is_reminded_even_without_a_log(shop: Home) -> None:
    elsewhere = shop.project.parent / "zzyzx"
    elsewhere.mkdir()
    transcript = shop.home / "t.jsonl"
    transcript.write_text('{"type":"tool_use","name":"mcp__devlore__recall"}\n', encoding="utf-8")

    out = event(shop, "session-end", {"transcript_path": str(transcript)}, cwd=elsewhere)

    assert json.loads(out)["systemMessage"].startswith("devlore: the session ended. If the open work log")


def test_a_root_that_is_a_file_or_a_worklogs_folder_that_is_a_file_gives_nothing_or_only_patterns(shop: Home) -> None:
    not_a_brain = shop.home / "brain.txt"
    not_a_brain.write_text("not a brain\n", encoding="utf-8")
    done = shop.devlore("hook", "session-start", "--root", str(not_a_brain), stdin='{"cwd": "/"}')
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")

    worklogs = shop.brain / "memory" / "worklogs"
    for log in worklogs.iterdir():
        log.unlink()
    worklogs.rmdir()
    worklogs.write_text("a file where the folder should be\n", encoding="utf-8")
    text = context(event(shop, "session-start", {"source": "startup"}), "SessionStart")
    assert text.startswith("devlore memory for shop:\nPatterns that apply (python):\n- [")
