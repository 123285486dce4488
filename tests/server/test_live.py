"""Live memory: a change on disk, by anyone, reaches subscribed clients in both protocol eras."""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, types

from devlore.server import build_server
from devlore.service.brain import Brain
from tests.conftest import DEV
from tests.server.test_pattern_tools import ok

pytestmark = pytest.mark.anyio

EPISODE = "memory/episodic/content/2026-11-21-hand-written-note.md"


def save_like_an_editor(path: Path, change: Callable[[str], str]) -> None:
    """Write a temp file beside the target and rename it over, as vim, VS Code and JetBrains do."""
    text = path.read_bytes().decode("utf-8")
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_bytes(change(text).encode("utf-8"))
    os.replace(tmp, path)


class Inbox:
    """What the server pushed: resource URIs updated and list_changed counts, in either era."""

    def __init__(self) -> None:
        self.updated: list[str] = []
        self.list_changed = 0
        self._arrived = anyio.Event()

    def add(self, updated: str | None = None, listed: bool = False) -> None:
        if updated is not None:
            self.updated.append(updated)
        self.list_changed += listed
        self._arrived.set()

    async def handle(self, message: Any) -> None:
        if isinstance(message, types.ResourceUpdatedNotification):
            self.add(updated=str(message.params.uri))
        elif isinstance(message, types.ResourceListChangedNotification):
            self.add(listed=True)

    async def until(self, check: Callable[[], bool], seconds: float) -> None:
        with anyio.fail_after(seconds):
            while not check():
                self._arrived = anyio.Event()
                await self._arrived.wait()


@asynccontextmanager
async def watched(
    brain: Brain, mode: str, uris: list[str], rescan_every: float = 30.0
) -> AsyncIterator[tuple[Client, Inbox]]:
    """A client subscribed to ``uris`` and to list changes, in the given protocol era."""
    inbox = Inbox()
    server = build_server(brain, rescan_every=rescan_every)
    async with Client(server, mode=mode, message_handler=inbox.handle) as client:
        if mode == "legacy":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # resources/subscribe is the 2025 era's way, deprecated in 2026
                for uri in uris:
                    await client.subscribe_resource(uri)
            await ok(client, "list_patterns", {"domain": "pm"})  # let the watcher settle
            await anyio.sleep(0.3)
            yield client, inbox
            return
        async with (
            client.listen(resources_list_changed=True, resource_subscriptions=uris) as sub,
            anyio.create_task_group() as tg,
        ):

            async def pump() -> None:
                async for event in sub:
                    inbox.add(
                        updated=getattr(event, "uri", None), listed=type(event).__name__ == "ResourcesListChanged"
                    )

            tg.start_soon(pump)
            await anyio.sleep(0.3)
            yield client, inbox
            tg.cancel_scope.cancel()


async def test_legacy_clients_are_told_they_can_subscribe_and_hear_list_changes(brain: Brain) -> None:
    async with Client(build_server(brain), mode="legacy") as client:
        caps = client.server_capabilities.resources
    assert caps is not None and (caps.subscribe, caps.list_changed) == (True, True)


async def test_an_editor_save_reaches_subscribers_and_recall(brain: Brain, root: Path, mode: str) -> None:
    entry = "memory://patterns/dev/inject-the-clock-instead-of-patching-time"
    async with watched(brain, mode, ["memory://patterns/dev", entry]) as (client, inbox):
        heading = "## Inject the Clock Instead of Patching Time\n"
        save_like_an_editor(root / DEV, lambda t: t.replace(heading, heading + "\nA quartzclock note.\n", 1))
        await inbox.until(lambda: "memory://patterns/dev" in inbox.updated, 1.0)
        await inbox.until(lambda: entry in inbox.updated, 1.0)
        with anyio.fail_after(1.5):
            while not (await ok(client, "recall", {"query": "quartzclock"}))["hits"]:
                await anyio.sleep(0.05)
    assert "memory://patterns/dev/cache-keys-carry-a-schema-version" not in inbox.updated


async def test_a_new_episode_changes_the_resource_list(brain: Brain, root: Path, mode: str) -> None:
    async with watched(brain, mode, []) as (client, inbox):
        (root / EPISODE).write_text("# Hand-written note\n\nTried a zanzibar cache.\n", encoding="utf-8")
        await inbox.until(lambda: inbox.list_changed >= 1, 1.0)
        listed = {str(r.uri) for r in (await client.list_resources()).resources}
        found = await ok(client, "recall", {"query": "zanzibar"})
    assert "memory://episodes/content/2026-11-21-hand-written-note" in listed
    assert [h["path"] for h in found["hits"]] == [EPISODE]


async def test_the_servers_own_writes_notify_subscribers(brain: Brain, mode: str) -> None:
    log_uri = "memory://worklogs/Brand-New"
    entry = "memory://patterns/dev/batch-loading-related-rows"
    async with watched(brain, mode, ["memory://patterns/dev", entry, log_uri]) as (client, inbox):
        await ok(client, "add_example", {"pattern": "batch loading", "example": "Shop - list (2026-11-20) - ok"})
        await inbox.until(lambda: "memory://patterns/dev" in inbox.updated, 1.0)
        await ok(client, "open_worklog", {"name": "Brand New"})
        await inbox.until(lambda: log_uri in inbox.updated and inbox.list_changed >= 1, 1.0)
    assert entry in inbox.updated


@pytest.mark.breaks_brain
async def test_a_file_that_stops_parsing_keeps_its_last_good_state(brain: Brain, root: Path, mode: str) -> None:
    pm = root / "memory/semantic/patterns/pm-patterns.md"
    async with watched(brain, mode, ["memory://patterns/pm"]) as (client, inbox):
        before = await ok(client, "list_patterns", {"domain": "pm"})
        pm.write_bytes(pm.read_bytes() + b"\n```sql\nSELECT 1;\n")  # an unclosed fence
        await inbox.until(lambda: "memory://patterns/pm" in inbox.updated, 1.0)
        after = await ok(client, "list_patterns", {"domain": "pm"})
        stats = await ok(client, "memory_stats", {})
    assert after == before | {
        "problems": ["memory/semantic/patterns/pm-patterns.md:144: code fence opened here is never closed"]
    }
    assert [p["path"] for p in stats["problems"]] == ["memory/semantic/patterns/pm-patterns.md"]


async def test_folders_deleted_and_recreated_are_still_watched(brain: Brain, root: Path, mode: str) -> None:
    folder = root / "memory/episodic/learning"
    async with watched(brain, mode, [], rescan_every=0.5) as (client, inbox):
        shutil.rmtree(folder)
        await inbox.until(lambda: inbox.list_changed >= 1, 2.0)
        folder.mkdir()
        (folder / "2026-11-21-back-again.md").write_text("# Back again\n\nA xylophone lesson.\n", encoding="utf-8")
        await inbox.until(lambda: inbox.list_changed >= 2, 2.0)
        with anyio.fail_after(2.0):
            while not (await ok(client, "recall", {"query": "xylophone"}))["hits"]:
                await anyio.sleep(0.05)


@pytest.mark.breaks_brain
async def test_memory_stats_follows_files_that_break_and_heal_while_served(brain: Brain, root: Path, mode: str) -> None:
    """memory_stats reads problems and counts from the watched index, not by parsing the
    brain on each call; it must still agree with a full ``devlore check``."""
    from devlore.service.check import check

    log = root / "memory/worklogs/Ledger-Export-WorkLog.md"
    episode = root / "memory/episodic/code/2026-11-14-cache-key-version-bump.md"
    good_log = log.read_bytes()
    async with watched(brain, mode, []) as (client, _inbox):
        before = await ok(client, "memory_stats", {})
        log.write_bytes(b"---\nversion: [v3\n---\n" + good_log.split(b"---\n", 2)[2])  # broken YAML
        (root / "memory/episodic/code/2026-11-22-new-note.md").write_text("# A new note\n\nText.\n", encoding="utf-8")
        with anyio.fail_after(3.0):
            while len((broken := await ok(client, "memory_stats", {}))["problems"]) < 1 or broken["experiences"] < 15:
                await anyio.sleep(0.05)
        checked = [p.model_dump() for p in check(brain)]
        log.write_bytes(good_log)
        episode.unlink()
        with anyio.fail_after(3.0):
            while (healed := await ok(client, "memory_stats", {}))["problems"] or healed["experiences"] != 14:
                await anyio.sleep(0.05)
    assert before["problems"] == [] and before["experiences"] == 14
    assert [p["path"] for p in broken["problems"]] == ["memory/worklogs/Ledger-Export-WorkLog.md"]
    assert broken["problems"] == checked  # the same line and reason a full check gives
    assert healed["open_blockers"] == before["open_blockers"] == 1
    assert check(brain) == []
