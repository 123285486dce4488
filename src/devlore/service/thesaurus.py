"""Words that mean the same in software work, so ``recall`` finds a memory written in other
words than the question ("stuck" finds "hang", "randomise" finds "jitter").

Each group is a set of interchangeable words or phrases. A query word in a group also matches
the group's other members (``recall`` searches them as alternatives of that word; the index
stems them as it stems the memories). The groups are general vocabulary of the trade, written
from how engineers describe the same problem differently, not from any one brain; a word with
two common meanings stays out of them (``key``, ``lock``, ``state``).
"""

from __future__ import annotations

__all__ = ["alternatives"]

_GROUPS = """
slow, sluggish, latency, laggy
speed up, faster, optimise, optimize, accelerate
stop, prevent, avoid, eliminate
outage, downtime, incident
crash, panic, segfault
flaky, flaky tests, intermittent, nondeterministic, nondeterminism, sporadic, unreliable
secret, credential, credentials, password, api key
deploy, deployment, release, rollout, ship
rollback, roll back, revert
cache, memoize, memoise
expiry, expire, expiration, ttl
timeout, time out, deadline
stuck, hang, hung, freeze, frozen, unresponsive, blocked forever
retry, retries, rerun, re-run, backoff
duplicate, duplicates, dedupe, deduplicate, twice, idempotent, idempotency
bug, defect
database, db, postgres, postgresql, mysql, sql
kubernetes, k8s
authentication, authn, login, log in, sign in, signin, sso
authorization, authz, permission, permissions, access control, rbac
documentation, docs
configuration, config, settings
pii, personal data, personally identifiable, sensitive data
migration, migrations, schema change, alter table
backup, backups, dump, snapshot
restore, recover, recovery
queue, queues, background job, worker, workers
rate limit, throttle, throttling, quota
tenant, customer, account
random, randomise, randomize, randomised, randomized, jitter
stagger, staggered, spread out
stampede, thundering herd, dogpile, cache miss storm
coalesce, single flight, singleflight, request collapsing
monitoring, observability, alerting, alert, alerts
metric, metrics, telemetry
leak, leaking, exhausted, exhaustion
connection, connections, socket, sockets
concurrency, concurrent, parallel, simultaneous, race, race condition
dependency, dependencies, library, libraries, package, packages
upgrade, bump, update version
feature flag, feature toggle, toggle, kill switch
time zone, timezone, utc, tz
payment, payments, billing, charge, invoice
email, newsletter
estimate, estimation, forecast
code review, pull request, pr, review
n+1, n plus one, lazy loading, query per row
orm, sqlalchemy, activerecord, django orm
index, indexes, indices
log, logs, logging
redact, redaction, mask, masking, scrub
webhook, webhooks, callback
test, tests, testing, spec, specs
ci, continuous integration, pipeline, build
container, docker, image
sla, slo, error budget
on call, on-call, pager, paging
harmless, safe to repeat, safe to rerun
""".strip()


def _key(phrase: str) -> str:
    """How a word is looked up: lower case, a plain plural or ``-ing``/``-ed`` folded."""
    word = phrase.lower().strip()
    for suffix in ("ing", "ed", "es", "s"):
        if " " not in word and word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _table() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for line in _GROUPS.splitlines():
        group = [w.strip() for w in line.split(",") if w.strip()]
        for word in group:
            others = [w for w in group if _key(w) != _key(word)]
            known = table.setdefault(_key(word), [])
            known += [w for w in others if w not in known]
    return {k: tuple(v) for k, v in table.items()}


_TABLE = _table()


def alternatives(term: str) -> tuple[str, ...]:
    """The words and phrases that mean what ``term`` means (none for a word in no group)."""
    return _TABLE.get(_key(term), ())
