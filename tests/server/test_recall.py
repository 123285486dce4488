"""recall through the client: stemming, fields instead of files, ranking and identifiers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from mcp import Client

from devlore.server import build_server
from devlore.service.brain import Brain
from devlore.service.index import SCHEMA
from tests.conftest import DEV, ClientFactory
from tests.server.test_pattern_tools import error, ok, text

pytestmark = pytest.mark.anyio

N_PLUS_ONE = "Batch Loading Related Rows"  # the fixtures' N+1 pattern: "through an ORM with lazy loading"
WORKLOG = "memory/worklogs/Ledger-Export-WorkLog.md"
RETRY = f"{DEV}#retry-with-jittered-exponential-backoff"
IDENTIFIERS = {
    "name": "Find N+1 Queries Before Review",
    "pattern": "Install django-debug-toolbar v2.3 and replace loops over relations with select_related.",
    "context": "Django list views that read a relation per row.",
    "example": "Shop - order list (2026-11-20) - 300 queries down to 2",
}


async def test_a_word_finds_its_plural_and_singular_forms(connect: ClientFactory) -> None:
    async with connect() as client:
        singular = await ok(client, "recall", {"query": "ORM"})
        plural = await ok(client, "recall", {"query": "ORMs"})
    assert N_PLUS_ONE in [h["title"] for h in singular["hits"]]
    assert [h["title"] for h in plural["hits"]] == [h["title"] for h in singular["hits"]]


async def test_a_question_in_plain_words_puts_the_pattern_it_asks_about_in_the_top_three(
    connect: ClientFactory,
) -> None:
    async with connect() as client:
        found = await ok(client, "recall", {"query": "how do I stop slow ORM loops"})
    assert N_PLUS_ONE in [h["title"] for h in found["hits"][:3]]


async def test_a_word_matches_what_memories_say_never_the_paths_they_cite(connect: ClientFactory) -> None:
    async with connect() as client:
        found = await ok(client, "recall", {"query": "memory", "limit": 25})
        episodic = await ok(client, "recall", {"query": "episodic"})
    assert found["hits"]
    assert all("memory" in (h["title"] + " " + h["snippet"]).lower() for h in found["hits"])
    assert episodic["hits"] == []  # every pattern cites memory/episodic/… in its sources


async def test_every_hit_has_a_score_and_two_matching_memories_answer_two_hits(connect: ClientFactory) -> None:
    async with connect() as client:
        two = await ok(client, "recall", {"query": "selectinload"})
        common = await ok(client, "recall", {"query": "data service request error test", "limit": 25})
    assert sorted(h["path"] for h in two["hits"]) == [
        "memory/episodic/code/2026-09-30-invoice-list-batching.md",
        f"{DEV}#batch-loading-related-rows",
    ]
    assert all(h["score"] > 0 for h in two["hits"] + common["hits"])
    best = common["hits"][0]["score"]
    assert all(h["score"] >= 0.3 * best for h in common["hits"])


async def test_identifiers_are_found_whole_and_in_parts(connect: ClientFactory) -> None:
    async with connect() as client:
        await ok(client, "add_pattern", IDENTIFIERS)
        titles = {
            q: [h["title"] for h in (await ok(client, "recall", {"query": q}))["hits"]]
            for q in ("N+1", "select_related", "related", "django-debug-toolbar", "toolbar", "v2.3")
        }
    assert all(found[:1] == [IDENTIFIERS["name"]] for found in titles.values()), titles


async def test_a_quoted_phrase_matches_only_its_words_side_by_side(connect: ClientFactory) -> None:
    async with connect() as client:
        phrase = await ok(client, "recall", {"query": '"signed download links"'})
        words = await ok(client, "recall", {"query": "links download signed", "limit": 25})
    assert [(h["path"], h["entry"]) for h in phrase["hits"]] == [(WORKLOG, "v3"), (WORKLOG, "v2")]
    assert len(words["hits"]) >= len(phrase["hits"])


async def test_work_log_hits_name_the_entry_they_come_from(connect: ClientFactory) -> None:
    async with connect() as client:
        found = await ok(client, "recall", {"query": "excel BOM", "kinds": ["worklog"]})
    assert [(h["title"], h["path"], h["entry"]) for h in found["hits"]][:2] == [
        ("Ledger-Export v1: Scope the CSV export", WORKLOG, "v1"),
        ("Ledger-Export v2: Streaming exporter", WORKLOG, "v2"),
    ]


async def test_an_index_left_by_an_older_analysis_is_rebuilt(brain: Brain, root: Path) -> None:
    rel = DEV
    stat = (root / rel).stat()
    (root / ".devlore").mkdir(exist_ok=True)
    with sqlite3.connect(root / ".devlore" / "index.sqlite") as db:  # what devlore's schema 2 wrote
        db.executescript(
            "CREATE TABLE files(path TEXT PRIMARY KEY, mtime INTEGER NOT NULL, size INTEGER NOT NULL);"
            "CREATE TABLE docs(id INTEGER PRIMARY KEY, file TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,"
            " path TEXT NOT NULL, tier REAL NOT NULL, day TEXT);"
            "CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='unicode61');"
            "CREATE TABLE problems(path TEXT PRIMARY KEY, line INTEGER NOT NULL, reason TEXT NOT NULL);"
            "PRAGMA user_version=2;"
        )
        db.execute("INSERT INTO files VALUES (?, ?, ?)", (rel, stat.st_mtime_ns, stat.st_size))
        db.execute("INSERT INTO docs VALUES (1, ?, 'pattern', 'Stale Ghost', ?, 0.0, NULL)", (rel, rel + "#ghost"))
        db.execute("INSERT INTO fts(rowid, title, body) VALUES (1, 'Stale Ghost', 'phantasmagoria')")
    async with Client(build_server(brain)) as client:
        stale = await ok(client, "recall", {"query": "phantasmagoria"})
        fresh = await ok(client, "recall", {"query": "ORMs"})
    with sqlite3.connect(root / ".devlore" / "index.sqlite") as db:
        version = db.execute("PRAGMA user_version").fetchone()[0]
    assert (stale["hits"], version) == ([], SCHEMA)
    assert N_PLUS_ONE in [h["title"] for h in fresh["hits"]]


async def test_a_misspelt_word_is_searched_by_its_closest_spelling_and_the_answer_says_so(
    connect: ClientFactory,
) -> None:
    async with connect() as client:
        swapped = await client.call_tool("recall", {"query": "retyr jitter"})
        close = await ok(client, "recall", {"query": "selctinload"})
    note = "No memory says 'retyr'; searched for 'retry' instead."
    assert swapped.structured_content is not None and swapped.structured_content["note"] == note
    assert text(swapped).splitlines()[:2] == [note, f"pattern: Retry with Jittered Exponential Backoff ({RETRY})"]
    assert close["note"] == "No memory says 'selctinload'; searched for 'selectinload' instead."
    assert f"{DEV}#batch-loading-related-rows" in [h["path"] for h in close["hits"]]


async def test_when_no_memory_has_every_word_the_answer_says_it_shows_those_with_most(
    connect: ClientFactory,
) -> None:
    async with connect() as client:
        relaxed = await ok(client, "recall", {"query": "ORM phantasmagoria"})
        strict = await ok(client, "recall", {"query": "ORM lazy loading"})
    assert relaxed["note"] == "No memory has all of the words; showing those with most of them."
    assert N_PLUS_ONE in [h["title"] for h in relaxed["hits"]]
    assert strict["note"] is None


async def test_a_domain_keeps_its_pattern_file_and_the_experiences_of_its_work_type(connect: ClientFactory) -> None:
    async with connect() as client:
        everything = await ok(client, "recall", {"query": "cache keys", "limit": 25})
        content = await ok(client, "recall", {"query": "cache keys", "limit": 25, "domain": "content"})
    assert {h["kind"] for h in everything["hits"]} > {"pattern", "episode"}
    paths = [h["path"] for h in content["hits"]]
    assert "memory/episodic/content/2026-11-10-newsletter-cache-keys.md" in paths
    assert all(
        p.startswith(("memory/semantic/patterns/content-patterns.md#", "memory/episodic/content/")) for p in paths
    ), paths
    assert set(paths) < {h["path"] for h in everything["hits"]}  # a filter, not another ranking


async def test_since_keeps_memories_dated_from_that_day_on(connect: ClientFactory) -> None:
    async with connect() as client:
        query = {"query": "cache", "limit": 25, "kinds": ["episode"]}
        everything = await ok(client, "recall", query)
        recent = await ok(client, "recall", query | {"since": "2026-11-12"})
    before = {h["path"] for h in everything["hits"]}
    assert "memory/episodic/content/2026-11-10-newsletter-cache-keys.md" in before
    assert [h["path"] for h in recent["hits"]] == ["memory/episodic/code/2026-11-14-cache-key-version-bump.md"]


async def test_a_bad_domain_or_since_is_refused_with_what_to_send(connect: ClientFactory) -> None:
    async with connect() as client:
        domain = await error(client, "recall", {"query": "cache", "domain": "../dev"})
        since = await error(client, "recall", {"query": "cache", "since": "last week"})
    assert "Invalid domain '../dev'" in domain and "'dev'" in domain
    assert "Invalid since 'last week'" in since and "YYYY-MM-DD" in since


async def test_words_the_memory_does_not_use_find_it_through_the_thesaurus_and_say_so(connect: ClientFactory) -> None:
    async with connect() as client:
        herd = await ok(client, "recall", {"query": "thundering herd"})  # the memory says "stampede"
        tool = await client.call_tool("recall", {"query": "thundering herd"})
    assert [h["title"] for h in herd["hits"]] == ["Cache Keys Carry a Schema Version"]
    assert "stampede" in herd["hits"][0]["snippet"].lower()
    assert herd["note"].startswith("No memory has these words; showing memories that say the same otherwise")
    assert "stampede" in herd["note"]
    assert text(tool).startswith(herd["note"])


async def test_a_memory_in_the_question_s_own_words_ranks_above_one_in_other_words(connect: ClientFactory) -> None:
    twin = {"context": "Rolling out the billing service.", "example": "Billing - canary (2026-11-20) - caught early"}
    async with connect() as client:
        for word in ("Deploy", "Release"):
            await ok(client, "add_pattern", twin | {"name": f"Canary Each {word}", "pattern": f"{word} to a canary."})
        found = await ok(client, "recall", {"query": "deploy canary"})
    titles = [h["title"] for h in found["hits"]]
    assert titles.index("Canary Each Deploy") < titles.index("Canary Each Release"), titles
    assert found["note"] is None  # the question's own words were found
