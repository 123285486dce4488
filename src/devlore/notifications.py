"""Change notifications: the watcher's changes become index updates and resource notifications.

Every change, whether this server wrote it, another devlore process did, or a person saved
it in an editor, arrives the same way (``watch.watch``) and reaches both protocol eras: the
sessions of the 2025 handshake through ``resources/updated`` / ``list_changed``
notifications, and 2026-07-28 listeners through the SDK's subscription bus.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from mcp import types
from mcp.server.lowlevel.server import NotificationOptions
from mcp.server.mcpserver import MCPServer
from mcp.server.subscriptions import ResourcesListChanged, ResourceUpdated, SubscriptionBus
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

from devlore.errors import DevloreError
from devlore.layout import domain_of
from devlore.resources import uri_for
from devlore.service.brain import Brain
from devlore.service.health import flush
from devlore.service.index import Index
from devlore.store import Stat
from devlore.watch import scan, watch

__all__ = ["Notifier", "install_notifications"]

log = logging.getLogger(__name__)
START_GRACE = 1.0  # seconds the start-up scan waits for the first request to be answered


class Notifier:
    """Who listens to what, and what each change means for them."""

    def __init__(self, brain: Brain, index: Index, bus: SubscriptionBus, rescan_every: float = 30.0) -> None:
        self.brain = brain
        self.index = index
        self.bus = bus
        self.rescan_every = rescan_every
        self.sessions: weakref.WeakSet[Any] = weakref.WeakSet()
        self.subscribers: dict[str, weakref.WeakSet[Any]] = {}
        self._entries: dict[str, dict[str, str]] = {}
        self._files: set[str] = set()
        self._lock = threading.Lock()
        self._running = 0
        self.answered = False  # a request has been answered since the server started

    # -- subscriptions ---------------------------------------------------------------------

    def seen(self, session: Any) -> None:
        self.sessions.add(session)

    def subscribe(self, uri: str, session: Any) -> None:
        with self._lock:
            self.subscribers.setdefault(uri, weakref.WeakSet()).add(session)

    def unsubscribe(self, uri: str, session: Any) -> None:
        with self._lock:
            self.subscribers.get(uri, weakref.WeakSet()).discard(session)

    # -- changes ---------------------------------------------------------------------------

    def _entry_texts(self, rel: str) -> dict[str, str]:
        try:
            pf = self.brain.pattern_file(rel)
        except DevloreError:
            return self._entries.get(rel, {})  # unparsable now: its last good state stands
        if pf is None:
            return {}
        return {e.slug: "".join(pf.doc.lines[e.start : e.content_end]) for e in pf.entries}

    def prime(self) -> dict[str, Stat]:
        """Remember which files exist, so later changes can be told apart, and clear the temp
        files of writers that died. Runs off the event loop and parses nothing: a pattern
        file's entries are remembered the first time it changes or is read."""
        self.brain.store.clean_temp_files()
        known = scan(self.brain.store)
        self._files = set(known)
        self.index.validate(known)  # the same scan brings the search index up to date
        return known

    def files_changed(self, paths: set[str]) -> tuple[set[str], bool]:
        """The files' own URIs, and whether a file came or went: no parsing, so subscribers
        of a file hear of a change before its entries are worked out."""
        uris: set[str] = set()
        listed = False
        for rel in sorted(paths):
            self.index.touch(rel)
            exists = self.brain.store.exists(rel)
            if exists != (rel in self._files):
                listed = True
                (self._files.add if exists else self._files.discard)(rel)
            if (uri := uri_for(rel)) is not None:
                uris.add(uri)
        return uris, listed

    def entries_changed(self, paths: set[str]) -> tuple[set[str], bool]:
        """The URIs of pattern entries whose text changed, and whether entries came or went."""
        uris: set[str] = set()
        listed = False
        for rel in sorted(paths):
            if not (uri_for(rel) or "").startswith("memory://patterns/"):
                continue
            new = self._entry_texts(rel) if self.brain.store.exists(rel) else {}
            old = self._entries.get(rel, {slug: "" for slug in new})  # unseen before: all count
            self._entries[rel] = new
            listed = listed or set(old) != set(new)
            domain = domain_of(rel)
            uris |= {
                f"memory://patterns/{domain}/{slug}"
                for slug in old.keys() | new.keys()
                if old.get(slug) != new.get(slug)
            }
        return uris, listed

    async def changed(self, paths: set[str]) -> None:
        await self._notify(*await anyio.to_thread.run_sync(self.files_changed, paths))
        await self._notify(*await anyio.to_thread.run_sync(self.entries_changed, paths))

    async def _notify(self, uris: set[str], listed: bool) -> None:
        for uri in sorted(uris):
            with self._lock:
                sessions = list(self.subscribers.get(uri, ()))
            for session in sessions:
                await self._send(session, session.send_resource_updated, uri)
            await self.bus.publish(ResourceUpdated(uri=uri))
        if listed:
            for session in list(self.sessions):
                await self._send(session, session.send_resource_list_changed)
            await self.bus.publish(ResourcesListChanged())

    async def _send(self, session: Any, send: Any, *args: Any) -> None:
        try:
            await send(*args)
        except Exception as exc:  # the client went away: forget it
            log.debug("dropping a session that could not be notified: %s", exc)
            self.sessions.discard(session)
            with self._lock:
                for subs in self.subscribers.values():
                    subs.discard(session)

    async def run(self, stop: anyio.Event) -> None:
        self.index.watching = True  # from here the watcher reports what changes
        # The start-up scan (10,000 stats and the index check) competes for the one GIL with the
        # client's first request: let that request be answered first, or wait a moment at most.
        # A warm index answers meanwhile; the scan then catches whatever changed before it.
        with anyio.move_on_after(START_GRACE):
            while not self.answered and not stop.is_set():
                await anyio.sleep(0.01)
        known = await anyio.to_thread.run_sync(self.prime)
        try:
            await watch(self.brain.store, self.changed, stop, self.rescan_every, known)
        finally:
            self.index.watching = False

    @asynccontextmanager
    async def lifespan(self, _server: Any) -> AsyncIterator[dict[str, Any]]:
        """Watch while at least one connection is open (stdio: the whole process)."""
        self._running += 1
        if self._running > 1:
            try:
                yield {}
            finally:
                self._running -= 1
            return
        stop = anyio.Event()
        async with anyio.create_task_group() as tg:
            tg.start_soon(self.run, stop)
            try:
                yield {}
            finally:
                self._running -= 1
                stop.set()
                tg.cancel_scope.cancel()
                flush(self.brain)  # a deferred brain-health refresh is written before we go


def _connection(ctx: Any) -> Any:
    """The client's connection: ``ctx.session`` is a per-request proxy, while notifications
    sent later must go to the connection that outlives it (held weakly: a closed one goes)."""
    return getattr(ctx.session, "_connection", ctx.session)


def install_notifications(server: MCPServer[Any], notifier: Notifier) -> None:
    """Serve ``resources/subscribe`` and ``unsubscribe``, note every 2025-era session, and
    advertise ``subscribe`` and ``listChanged`` truthfully to handshake clients."""
    low = server._lowlevel_server

    async def on_subscribe(ctx: Any, params: types.SubscribeRequestParams) -> types.EmptyResult:
        notifier.subscribe(str(params.uri), _connection(ctx))  # a log not created yet may be subscribed to
        return types.EmptyResult()

    async def on_unsubscribe(ctx: Any, params: types.UnsubscribeRequestParams) -> types.EmptyResult:
        notifier.unsubscribe(str(params.uri), _connection(ctx))
        return types.EmptyResult()

    async def track(ctx: Any, call_next: Any) -> Any:
        if ctx.protocol_version not in MODERN_PROTOCOL_VERSIONS and getattr(ctx, "session", None) is not None:
            notifier.seen(_connection(ctx))
        try:
            return await call_next(ctx)
        finally:
            notifier.answered = True

    low.add_request_handler("resources/subscribe", types.SubscribeRequestParams, on_subscribe)
    low.add_request_handler("resources/unsubscribe", types.UnsubscribeRequestParams, on_unsubscribe)
    low.middleware.append(track)
    plain = low.create_initialization_options

    def with_notifications(notification_options: NotificationOptions | None = None, *args: Any, **kwargs: Any) -> Any:
        options = notification_options or NotificationOptions(resources_changed=True)
        return plain(options, *args, **kwargs)

    low.create_initialization_options = with_notifications  # type: ignore[method-assign]
