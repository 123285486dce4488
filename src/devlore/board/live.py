"""Live updates: the brain's watcher (``devlore.watch``) feeds every open page a server-sent
event, and keeps the board's search index (its counts and problems) current."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import anyio

from devlore.service.brain import Brain
from devlore.service.index import Index
from devlore.watch import scan, watch

__all__ = ["KEEPALIVE", "Live"]

KEEPALIVE = 15.0  # seconds between comments that keep an idle stream open through proxies
POLL = 0.5  # seconds between looks at whether the server is stopping


class Live:
    """The change counter every open page waits on; ``running`` watches while the app runs."""

    def __init__(self, brain: Brain, index: Index, rescan_every: float = 30.0) -> None:
        self.brain = brain
        self.index = index
        self.rescan_every = rescan_every
        self.version = 0
        self.last: list[str] = []
        self._changed = anyio.Event()
        self.ready = anyio.Event()
        self.stopping: Callable[[], bool] = lambda: False
        """True once the server shuts down: open streams end, so it need not wait for the pages."""

    def prime(self) -> None:
        self.brain.store.clean_temp_files()
        self.index.validate(scan(self.brain.store))

    async def changed(self, paths: set[str]) -> None:
        for rel in paths:
            self.index.touch(rel)
        self.version += 1
        self.last = sorted(paths)[:20]
        self._changed.set()
        self._changed = anyio.Event()

    async def _run(self, stop: anyio.Event) -> None:
        await anyio.to_thread.run_sync(self.prime)
        self.index.watching = True  # from here the watcher reports what changes
        self.ready.set()
        try:
            await watch(self.brain.store, self.changed, stop, self.rescan_every)
        finally:
            self.index.watching = False

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        stop = anyio.Event()
        async with anyio.create_task_group() as tg:
            tg.start_soon(self._run, stop)
            try:
                yield
            finally:
                stop.set()
                tg.cancel_scope.cancel()

    async def events(self) -> AsyncIterator[bytes]:
        """An event stream: ``ready`` at once, then ``change`` (the paths as JSON) per change."""
        seen = self.version
        yield f"retry: 1000\nevent: ready\ndata: {seen}\n\n".encode()
        quiet_since = time.monotonic()
        while not self.stopping():
            waiting = self._changed  # taken before the check below, with no await between
            if self.version == seen:
                with anyio.move_on_after(POLL):
                    await waiting.wait()
            if self.version != seen:
                seen = self.version
                quiet_since = time.monotonic()
                yield f"event: change\ndata: {json.dumps({'version': seen, 'paths': self.last})}\n\n".encode()
            elif time.monotonic() - quiet_since >= KEEPALIVE:
                quiet_since = time.monotonic()
                yield b": idle\n\n"
