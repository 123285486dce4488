"""The board's web app: read-only routes (every one a GET but the token form's POST, which
changes no file), rendered on worker threads so the event stream never waits for a page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from importlib.resources import files
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route

from devlore.board.data import overview, pattern_rows
from devlore.board.guard import COOKIE, SESSION_SECONDS, Guard, allowed_hosts
from devlore.board.live import Live
from devlore.board.markup import Html, h
from devlore.board.pages import PREFIX, overview_page, pattern_page, patterns_page, shell
from devlore.board.workdata import experiences, log_view, work_board
from devlore.board.workpages import experiences_page, log_page, worklogs_page
from devlore.errors import DevloreError
from devlore.service.brain import Brain
from devlore.service.index import Index
from devlore.service.patterns import get_pattern

__all__ = ["Board", "build_board"]

STATIC = {"board.css": "text/css; charset=utf-8", "board.js": "text/javascript; charset=utf-8"}
NO_STORE = {"cache-control": "no-store"}


class Board:
    """The board of one brain: its ASGI app (guarded), and its watcher as a lifespan."""

    def __init__(self, brain: Brain, token: str | None, port: int, hosts: list[str], index: Index | None) -> None:
        self.brain = brain
        self.index = index or Index(brain)
        self.live = Live(brain, self.index)
        self._static = {name: (files("devlore.board") / "static" / name).read_bytes() for name in STATIC}
        routes = [
            Route("/", self.page(self.overview)),
            Route("/patterns", self.page(self.patterns)),
            Route("/patterns/{domain}/{slug}", self.page(self.pattern)),
            Route("/experiences", self.page(self.experiences)),
            Route("/worklogs", self.page(self.worklogs)),
            Route("/worklogs/{name}", self.page(self.worklog)),
            Route("/events", self.events),
            Route("/session", self.session, methods=["POST"]),
            Route("/static/{name}", self.static),
        ]
        login = shell("Token needed", "", _LOGIN).encode()
        self.app = Guard(Starlette(routes=routes), allowed_hosts(port, hosts), token, PREFIX, login)

    # -- pages ------------------------------------------------------------------------------

    def page(self, make: Callable[[Request], tuple[str, str, Html]]) -> Callable[[Request], Any]:
        """A GET route: ``make`` runs on a worker thread; with ``X-Board-Fragment`` only the
        ``<main>`` content is sent (what live updates swap in)."""

        async def handler(request: Request) -> Response:
            try:
                title, section, main = await anyio.to_thread.run_sync(make, request)
            except DevloreError as exc:
                title, section, main, status = "Not found", "", h("<h1>Not found</h1><p>{e}</p>", e=str(exc)), 404
            else:
                status = 200
            body = main if "x-board-fragment" in request.headers else shell(title, section, main)
            return HTMLResponse(body, status_code=status, headers=NO_STORE)

        return handler

    def overview(self, _: Request) -> tuple[str, str, Html]:
        return "Overview", "/", overview_page(overview(self.brain, self.index))

    def patterns(self, request: Request) -> tuple[str, str, Html]:
        q = {k: request.query_params.get(k, "") for k in ("q", "domain", "level", "stale")}
        rows = pattern_rows(self.brain)
        domains = sorted({r.domain for r in rows})
        text = q["q"].lower()
        rows = [
            r
            for r in rows
            if (not q["domain"] or r.domain == q["domain"])
            and (not q["level"] or r.evidence == q["level"])
            and (not q["stale"] or r.stale == (q["stale"] == "stale"))
            and (not text or text in r.name.lower())
        ]
        return "Patterns", "/patterns", patterns_page(rows, domains, q)

    def pattern(self, request: Request) -> tuple[str, str, Html]:
        domain, slug = request.path_params["domain"], request.path_params["slug"]
        p = get_pattern(self.brain, slug, domain)
        entry = self.brain.find(slug, domain).entry
        dated = sorted(((x.date or "", x.text) for x in entry.examples), key=lambda d: d[0])
        return p.name, "/patterns", pattern_page(p, dated)

    def experiences(self, _: Request) -> tuple[str, str, Html]:
        return "Experiences", "/experiences", experiences_page(experiences(self.brain, pattern_rows(self.brain)))

    def worklogs(self, _: Request) -> tuple[str, str, Html]:
        return "Work logs", "/worklogs", worklogs_page(work_board(self.brain))

    def worklog(self, request: Request) -> tuple[str, str, Html]:
        view = log_view(self.brain, request.path_params["name"])
        return view.name, "/worklogs", log_page(view)

    # -- the rest ---------------------------------------------------------------------------

    async def events(self, _: Request) -> Response:
        headers = {**NO_STORE, "x-accel-buffering": "no"}
        return StreamingResponse(self.live.events(), media_type="text/event-stream", headers=headers)

    async def session(self, request: Request) -> Response:
        """The token (already checked by the guard's header test below) buys a cookie, so that
        following a link keeps working; the page keeps the token itself in sessionStorage."""
        auth = request.headers.get("authorization", "")
        guard = self.app
        if not (auth[:7].lower() == "bearer " and guard.token_ok(auth[7:].strip())):
            return Response("401: wrong or missing token.\n", status_code=401, media_type="text/plain")
        response = Response(status_code=204, headers=NO_STORE)
        response.set_cookie(
            COOKIE, guard.new_session(), max_age=SESSION_SECONDS, path=PREFIX, httponly=True, samesite="strict"
        )
        return response

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return Response("Not found\n", status_code=404, media_type="text/plain")
        return Response(self._static[name], media_type=STATIC[name], headers={"cache-control": "no-cache"})

    def lifespan(self) -> AbstractAsyncContextManager[None]:
        return self.live.running()


_LOGIN = Html(
    "<h1>This board needs its token</h1><p>The server was started with a bearer token. Enter it once: this tab "
    "keeps it for the session and sends it with every request (never in a link).</p>"
    '<form id="login"><label for="token">Token</label> <input id="token" type="password" autocomplete="off" required> '
    '<button type="submit">Open the board</button></form><p id="login-error" role="alert"></p>'
)


async def _to_board(_: Request) -> Response:
    return RedirectResponse(f"{PREFIX}/")


def build_board(
    brain: Brain,
    token: str | None,
    port: int,
    hosts: list[str],
    inner: Any = None,
    inner_lifespan: Callable[[], AbstractAsyncContextManager[Any]] | None = None,
    index: Index | None = None,
) -> Starlette:
    """The app to serve: the board at ``/board`` (``/`` redirects there), or beside ``inner``
    (the MCP app of ``serve --http``) whose lifespan then runs too, sharing its ``index``."""
    board = Board(brain, token, port, hosts, index)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with board.lifespan():
            if inner_lifespan is None:
                yield
            else:
                async with inner_lifespan():
                    yield

    routes: list[Route | Mount] = [Mount(PREFIX, app=board.app)]
    if inner is None:
        routes.insert(0, Route("/", _to_board))
    else:
        routes.append(Mount("/", app=inner))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.board = board
    return app
