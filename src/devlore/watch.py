"""Watch the brain: watchfiles events and a periodic rescan, reduced to "these files changed".

``relevant`` is the pure filter (which raw paths are memory files at all); ``watch`` is the
loop. The loop survives folders being deleted and recreated and the watcher itself failing:
a cheap rescan of (mtime, size) catches anything the events missed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

import anyio
from watchfiles import awatch

from devlore.layout import BRAIN_FOLDERS, STATE_DIR
from devlore.store import Stat, Store

__all__ = ["IGNORED_DIRS", "diff", "relevant", "watch"]

log = logging.getLogger(__name__)
IGNORED_DIRS = frozenset({".git", ".hg", ".svn", STATE_DIR, "node_modules", ".obsidian", ".trash"})
_WATCHED = tuple(f"{folder}/" for folder in BRAIN_FOLDERS)
OnChange = Callable[[set[str]], Awaitable[None]]
CATCH_UP = 0.5  # seconds after start: one rescan for changes made while the watcher started


def relevant(root: Path, raw: str) -> str | None:
    """The root-relative path of a raw event path if it is a memory file, else None.

    Editor swap and backup files (``.foo.md.swp``, ``foo.md~``, ``.#foo.md``, ``4913``) and
    devlore's own temp and lock files never count: only ``*.md`` files under ``memory/`` and
    ``brain-health/``, outside hidden and tool folders."""
    try:
        rel = Path(raw).relative_to(root).as_posix()
    except ValueError:
        return None
    parts = rel.split("/")
    if any(p in IGNORED_DIRS or p.startswith(".") for p in parts) or not rel.endswith(".md"):
        return None
    return rel if rel.startswith(_WATCHED) else None


def diff(before: dict[str, Stat], after: dict[str, Stat]) -> set[str]:
    """Paths added, removed or changed (by mtime or size) between two scans."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def scan(store: Store) -> dict[str, Stat]:
    found: dict[str, Stat] = {}
    for folder in BRAIN_FOLDERS:
        found.update(store.scan(folder))
    return found


async def watch(
    store: Store,
    on_change: OnChange,
    stop: anyio.Event,
    rescan_every: float = 30.0,
    known: dict[str, Stat] | None = None,
) -> None:
    """Call ``on_change`` with the set of changed memory files until ``stop`` is set.

    ``known`` is the scan the caller already made at start, if any."""
    seen: dict[str, Stat] = known if known is not None else await anyio.to_thread.run_sync(scan, store)

    async def report(paths: Iterable[str] | None) -> None:
        """Events name their paths, so only those are stat'ed; a rescan (None) checks them all."""
        nonlocal seen
        if paths is None:
            fresh = await anyio.to_thread.run_sync(scan, store)
            changed = diff(seen, fresh)
            seen = fresh
        else:
            changed = set(paths)
            for rel in changed:
                stat = store.stat(rel)
                if stat is None:
                    seen.pop(rel, None)
                else:
                    seen[rel] = stat
        if changed:
            await on_change(changed)

    async with anyio.create_task_group() as tg:
        tg.start_soon(_events, store.root, report, stop)
        # What changed between the caller's scan and the moment the watcher began to listen
        # would otherwise wait for the periodic rescan: look once more when it has started.
        with anyio.move_on_after(CATCH_UP):
            await stop.wait()
        if not stop.is_set():
            await report(None)
        while not stop.is_set():
            with anyio.move_on_after(rescan_every):
                await stop.wait()
            if not stop.is_set():
                await report(None)
        tg.cancel_scope.cancel()


async def _events(root: Path, report: Callable[[Iterable[str] | None], Awaitable[None]], stop: anyio.Event) -> None:
    while not stop.is_set():
        try:
            async for changes in awatch(
                root,
                stop_event=stop,
                debounce=50,
                step=20,
                recursive=True,
                ignore_permission_denied=True,
                watch_filter=lambda _change, path: relevant(root, path) is not None,
            ):
                await report({rel for _, raw in changes if (rel := relevant(root, raw)) is not None})
        except Exception as exc:  # the root vanished, inotify ran out of watches, ...
            log.warning("watcher restarted after: %s", exc)
        with anyio.move_on_after(1.0):
            await stop.wait()
        if not os.path.isdir(root):
            log.warning("brain root %s is missing; waiting for it to come back", root)
