# ruff: noqa: E501  (hand-written data: one memory or question per line)
"""Hand-written workflows and work logs of the evaluation brain."""

from __future__ import annotations

# fmt: off
# (title, when to use, estimated time, source pattern name or "", steps, checklist)
WORKFLOWS = [
    ("Zero-Downtime Column Rename", "Renaming or retyping a column that running app servers use", "3 releases over a week",
     "Expand-Contract Database Migrations",
     ["Add the new column as nullable and write both columns", "Backfill in batches of 5,000 ids with a pause",
      "Switch reads to the new column behind a flag", "Stop writing the old column", "Drop the old column after a week of zero reads"],
     ["Each release runs beside the previous one", "Rollback tested for every step"]),
    ("Safe Index Build on Postgres", "Adding an index to a table with production traffic", "30 minutes plus build time",
     "Create Indexes Concurrently",
     ["Write the migration without a transaction wrapper", "Use CREATE INDEX CONCURRENTLY",
      "Query pg_index for indisvalid = false afterwards", "Drop and rebuild an invalid index"],
     ["No INVALID index left", "Build time noted in the pattern"]),
    ("Hunting an N+1 Query", "A list page or API endpoint is slow and issues many similar queries", "1 hour",
     "Batch Loading Related Rows",
     ["Open the page with django-debug-toolbar or enable SQL logging", "Find the repeated SELECT and the attribute that triggers it",
      "Add select_related or prefetch_related to the queryset", "Add a query-count assertion test", "Compare page time before and after"],
     ["Query count pinned in a test"]),
    ("Versioned Cache Release", "A release changes the shape of a cached object", "20 minutes",
     "Cache Keys Carry a Schema Version",
     ["Find every key prefix whose serialised shape changes", "Bump the version segment in each prefix",
      "Deploy; old pods keep reading the old version", "Watch the hit rate recover within one TTL"],
     ["No global cache flush"]),
    ("Quarantine a Flaky Test", "A test fails intermittently on CI", "30 minutes",
     "Quarantine Flaky Tests with an Owner",
     ["Confirm it is flaky by rerunning the same commit", "Add the quarantine marker with an owner and ticket",
      "Reproduce locally with the seed from the CI log", "Fix the race or delete the test within two weeks"],
     ["Owner named", "Ticket linked", "Removed from quarantine"]),
    ("Rotate a Leaked Secret", "A credential was committed, logged or shared by mistake", "1-2 hours",
     "Rotate Credentials on a Schedule and on Departure",
     ["Create a second key and deploy it beside the old one", "Revoke the leaked key",
      "Search logs for use of the leaked key since the leak", "Purge the secret from git history or the log index", "Write a short incident note"],
     ["Old key revoked", "Use since the leak reviewed"]),
    ("Incident Postmortem", "After an incident that affected customers", "2 hours within five working days",
     "Run Blameless Postmortems Within a Week",
     ["Collect the timeline from chat, alerts and deploy logs", "Hold the review without blame",
      "Agree on owned, dated action items", "Publish the write-up to the team"],
     ["Every action has one owner and a date"]),
    ("Canary Rollout", "Deploying a risky change to a user-facing service", "1 hour",
     "Canary Releases with Automatic Rollback",
     ["Deploy the new version to 5% of traffic", "Compare error rate and p95 latency with stable for 15 minutes",
      "Promote to 25%, 50%, 100% if the analysis passes", "Let the rollout roll back automatically on a failed analysis"],
     []),
    ("Webhook Endpoint Setup", "Receiving webhooks from a payment or source-control provider", "half a day",
     "Verify Webhook Signatures with Constant-Time Compare",
     ["Verify the signature over the raw body", "Reject events older than five minutes",
      "Record the event id under a unique constraint", "Acknowledge quickly and process in a background job", "Apply only if newer than the stored object"],
     ["Duplicates acknowledged with 200", "Replay window tested"]),
    ("Restore Drill", "Weekly, for every production database", "1 hour, automated",
     "Back Up and Test the Restore",
     ["Restore last night's backup into a scratch instance", "Run row counts on the ten largest tables",
      "Compare with production counts", "Tear down the instance and log the duration"],
     ["Restore time recorded"]),
    ("Kubernetes Node Pool Upgrade", "Upgrading cluster nodes to a new version", "half a day",
     "Drain Nodes Before Cluster Upgrades",
     ["Check every service has a PodDisruptionBudget and two replicas", "Create the new node pool",
      "Cordon and drain the old pool one node at a time", "Watch error rates between nodes", "Delete the old pool"],
     ["No single-replica service", "PDBs in place"]),
    ("Third-Party API Integration", "Integrating a new external HTTP API", "1-2 days",
     "Timeouts on Every Outbound Call",
     ["Set connect and read timeouts", "Retry only safe errors with backoff and jitter",
      "Honour Retry-After on 429", "Wrap the client in a circuit breaker", "Stub the API at the HTTP layer in tests"],
     ["Timeouts set", "Rate limit documented"]),
    ("Warehouse Backfill", "Recomputing history after a model's logic changed", "a day",
     "Backfill Warehouse Models Partition by Partition",
     ["Parameterise the model by run date", "Run one day first and compare with the old output",
      "Run the rest in parallel batches of four days", "Reconcile totals with the source"],
     ["Totals reconciled"]),
    ("Feature Flag Lifecycle", "Shipping a feature behind a flag", "spread over two sprints",
     "Feature Flags Default Off in Code",
     ["Create the flag default off in code", "Enable for internal users, then five tenants",
      "Roll out to everyone", "Delete the flag and the old path within two sprints"],
     ["Flag removed", "Old path deleted"]),
    ("New Cron Job Checklist", "Adding a scheduled job", "30 minutes",
     "Observe Cron Jobs with Heartbeats",
     ["Schedule it in UTC", "Make it idempotent so a rerun is harmless",
      "Ping a heartbeat on success", "Alert when the heartbeat is late"],
     ["Runs in UTC", "Heartbeat alert exists"]),
    ("Dependency Upgrade Day", "The monthly upgrade of libraries and CI tools", "half a day",
     "Pin CI Tool Versions",
     ["Run pip-audit and npm audit", "Bump pins one tool per pull request",
      "Read the changelogs of major bumps", "Merge when CI is green"],
     ["One tool per PR"]),
]

# (name, status, entries); entry: (stamp, title, tag, fields) with fields in the documented order
WORKLOGS = [
    ("Payment-Webhooks", "completed", [
        ("2026-09-01 09:30", "Verify provider signatures", "", {
            "Prev": "Starting new work", "Now": "Verify provider signatures", "Progress": "30% | Signature check ⏳",
            "Files": ["`payments/webhooks/verify.py` (HMAC over the raw body)"],
            "Decisions": ["Verify before JSON parsing: the middleware re-serialises bodies (vs verifying the parsed dict)"],
            "Next": ["[HIGH] Store event ids", "[MED] Replay window"]}),
        ("2026-09-03 10:00", "Event id store", "[BLOCKED]", {
            "Prev": "v1: Verify provider signatures (in_progress)", "Now": "Event id store",
            "Status": "blocked (Staging webhook secret missing)", "Progress": "55% | Signature check ✅ | Dedupe ⏳",
            "Decisions": ["Unique constraint on provider event id, duplicates answered with 200 (vs 409)"],
            "Blockers": ["Staging webhook secret missing", "- Owner: @ops-team", "- Requested: 2026-09-03 10:20", "- ETA: 24 hours"],
            "Next": ["[HIGH] [BLOCKED] End-to-end test against staging"]}),
        ("2026-09-05 14:00", "Out-of-order events", "[COMPLETED]", {
            "Prev": "v2: Event id store (blocked)", "Now": "Out-of-order events", "Status": "completed",
            "Progress": "100% | Signature check ✅ | Dedupe ✅ | Ordering ✅",
            "Decisions": ["Apply an event only if its object's updated timestamp is newer than ours"],
            "Blocker Resolution": ["Staging webhook secret missing: secret added to the staging vault (blocked 1d 3h)"],
            "Completed": ["✅ End-to-end test against staging"]}),
    ]),
    ("Checkout-Performance", "in_progress", [
        ("2026-10-05 09:00", "Profile the checkout page", "", {
            "Prev": "Starting new work", "Now": "Profile the checkout page", "Progress": "20% | Trace ✅ | Fixes ⏳",
            "Works": "Tracing shows 64 queries for a cart of 10 items",
            "Hypotheses": ["H1: The cart serializer lazy-loads product images | Open | one query per line item"],
            "Next": ["[HIGH] Prefetch images", "[MED] Cache shipping rates"]}),
        ("2026-10-07 11:00", "Prefetch and cache", "", {
            "Prev": "v1: Profile the checkout page (in_progress)", "Now": "Prefetch and cache", "Progress": "60% | Trace ✅ | Prefetch ✅ | Cache ⏳",
            "Decisions": ["Shipping rates cached per postcode for 10 minutes with jitter (vs per cart)"],
            "Hypotheses": ["H1: The cart serializer lazy-loads product images | Confirmed | 64 queries down to 7"],
            "Dead ends": ["Raising the gunicorn worker count (CPU was not the bottleneck)"],
            "Next": ["[HIGH] Load test at 2x Black Friday traffic"]}),
        ("2026-10-12 15:30", "Load test", "", {
            "Prev": "v2: Prefetch and cache (in_progress)", "Now": "Load test", "Progress": "80% | Load test ⏳",
            "Fails": "p99 at 2.4 s under 2x load: connection pool exhausted",
            "Decisions": ["PgBouncer in transaction mode in front of the primary (vs larger pools per pod)"],
            "Next": ["[HIGH] Rerun the load test with PgBouncer", "[LOW] Dashboard for pool saturation"]}),
    ]),
    ("K8s-Migration", "blocked", [
        ("2026-08-03 10:00", "Containerise the API", "", {
            "Prev": "Starting new work", "Now": "Containerise the API", "Progress": "25% | Dockerfile ✅ | Helm chart ⏳",
            "Decisions": ["Base image pinned by digest, updated by Renovate (vs the floating slim tag)"],
            "Next": ["[HIGH] Helm chart with probes", "[MED] Resource requests from VM metrics"]}),
        ("2026-08-10 10:00", "Helm chart and probes", "", {
            "Prev": "v1: Containerise the API (in_progress)", "Now": "Helm chart and probes", "Progress": "50% | Chart ✅ | Probes ✅",
            "Decisions": ["Liveness checks only the process; readiness pings the database (vs one probe for both)",
                          "preStop sleep of 10 s so the load balancer drains before SIGTERM"],
            "Next": ["[HIGH] Move secrets to External Secrets Operator"]}),
        ("2026-08-17 09:30", "Secrets", "[BLOCKED]", {
            "Prev": "v2: Helm chart and probes (in_progress)", "Now": "Secrets", "Status": "blocked (Vault namespace for the cluster not approved)",
            "Progress": "60% | Secrets ⏳",
            "Blockers": ["Vault namespace for the cluster not approved", "- Owner: @security", "- Requested: 2026-08-17 09:45", "- ETA: 1 week"],
            "Next": ["[HIGH] [BLOCKED] Move secrets to External Secrets Operator", "[MED] PodDisruptionBudgets"]}),
    ]),
    ("Search-Relevance", "needs_review", [
        ("2026-06-02 09:00", "Baseline relevance", "", {
            "Prev": "Starting new work", "Now": "Baseline relevance", "Progress": "20% | Judgement list ✅",
            "Work": ["Built a judgement list of 120 queries from support tickets"],
            "Decisions": ["Measure with nDCG@10 on the judgement list before any tuning (vs click-through only)"],
            "Next": ["[HIGH] Synonyms for product names"]}),
        ("2026-06-09 10:00", "Synonyms and stemming", "", {
            "Prev": "v1: Baseline relevance (in_progress)", "Now": "Synonyms and stemming", "Progress": "55% | Synonyms ✅ | Stemming ✅",
            "Decisions": ["English stemmer on titles only; SKUs stay exact (vs stemming everything)"],
            "Tried": "Boosting recent documents by date",
            "Dead ends": ["Date boost pushed outdated how-to pages up when they were edited"],
            "Next": ["[HIGH] Typo tolerance"]}),
        ("2026-06-16 16:00", "Typo tolerance", "[NEEDS_REVIEW]", {
            "Prev": "v2: Synonyms and stemming (in_progress)", "Now": "Typo tolerance", "Status": "needs_review",
            "Progress": "85% | Fuzzy ✅",
            "Decisions": ["Fuzziness AUTO only for terms of five letters or more (vs fuzzy on every term)"],
            "Review Checklist": ["- [ ] nDCG@10 compared with the baseline", "- [ ] Latency p95 under 80 ms"],
            "Next": ["[MED] Document the judgement list process"]}),
    ]),
    ("Auth-Token-Rotation", "completed", [
        ("2026-02-14 09:00", "Short-lived access tokens", "", {
            "Prev": "Starting new work", "Now": "Short-lived access tokens", "Progress": "30% | Access tokens ✅",
            "Decisions": ["Access tokens valid for 15 minutes (vs 30 days)"],
            "Next": ["[HIGH] Refresh token rotation", "[MED] Clock skew leeway"]}),
        ("2026-02-18 11:00", "Refresh rotation", "", {
            "Prev": "v1: Short-lived access tokens (in_progress)", "Now": "Refresh rotation", "Progress": "70% | Rotation ✅",
            "Decisions": ["A reused refresh token revokes the whole family (vs only the reused token)"],
            "Hypotheses": ["H1: Stray 401s come from clock skew between hosts | Open | only on two nodes"],
            "Next": ["[HIGH] Leeway on exp and nbf"]}),
        ("2026-02-20 10:00", "Leeway and rollout", "[COMPLETED]", {
            "Prev": "v2: Refresh rotation (in_progress)", "Now": "Leeway and rollout", "Status": "completed",
            "Progress": "100%",
            "Hypotheses": ["H1: Stray 401s come from clock skew between hosts | Confirmed | leeway of 30 s removed them"],
            "Completed": ["✅ Leeway on exp and nbf", "✅ Mobile app forced update"]}),
    ]),
    ("Data-Warehouse-Costs", "in_progress", [
        ("2026-03-01 09:00", "Find the expensive queries", "", {
            "Prev": "Starting new work", "Now": "Find the expensive queries", "Progress": "25% | Audit ✅",
            "Works": "INFORMATION_SCHEMA jobs view lists bytes billed per user",
            "Decisions": ["Require partition filters on the events table (vs trusting analysts)"],
            "Next": ["[HIGH] Sampling guide for analysts"]}),
        ("2026-03-08 14:00", "Quotas", "[BLOCKED]", {
            "Prev": "v1: Find the expensive queries (in_progress)", "Now": "Quotas", "Status": "blocked (Finance sign-off on per-team budgets)",
            "Progress": "45% | Guide ✅ | Quotas ⏳",
            "Blockers": ["Finance sign-off on per-team budgets", "- Owner: @finance-lead", "- Requested: 2026-03-08 14:10", "- ETA: end of month"],
            "Next": ["[HIGH] [BLOCKED] Per-team daily quotas", "[MED] HyperLogLog for distinct counts"]}),
        ("2026-03-30 10:00", "Sketches", "", {
            "Prev": "v2: Quotas (blocked)", "Now": "Sketches", "Status": "in_progress (unblocked: Finance sign-off on per-team budgets)",
            "Progress": "70% | Quotas ✅ | Sketches ⏳",
            "Blocker Resolution": ["Finance sign-off on per-team budgets: approved at 2 TB per team per day (blocked 21d 20h)"],
            "Decisions": ["Daily HLL sketches per metric, merged for weeks and months (vs exact distinct counts)"],
            "Next": ["[HIGH] Migrate the WAU dashboard to sketches"]}),
    ]),
    ("Flaky-Test-Cleanup", "completed", [
        ("2026-05-01 09:00", "Inventory the flakes", "", {
            "Prev": "Starting new work", "Now": "Inventory the flakes", "Progress": "20% | List ✅",
            "Work": ["Listed 11 tests that passed only on rerun over the last 30 days"],
            "Decisions": ["Remove pytest-rerunfailures: reruns hide flakes (vs keeping two reruns)"],
            "Next": ["[HIGH] Quarantine marker with owners"]}),
        ("2026-05-06 10:00", "Fix the races", "", {
            "Prev": "v1: Inventory the flakes (in_progress)", "Now": "Fix the races", "Progress": "60% | Quarantine ✅ | Fixes ⏳",
            "Solution": "Six flakes were shared fixtures under xdist; a database per worker fixed them",
            "Dead ends": ["Running the suite serially (doubled CI time)"],
            "Next": ["[HIGH] Remove time.sleep from the Celery tests"]}),
        ("2026-05-13 16:00", "Sleeps removed", "[COMPLETED]", {
            "Prev": "v2: Fix the races (in_progress)", "Now": "Sleeps removed", "Status": "completed", "Progress": "100%",
            "Completed": ["✅ Remove time.sleep from the Celery tests", "✅ Quarantine list empty"]}),
    ]),
    ("Rate-Limiter", "in_progress", [
        ("2026-07-01 09:00", "Design", "", {
            "Prev": "Starting new work", "Now": "Design", "Progress": "15% | Design ✅",
            "Decisions": ["Token bucket in Envoy per API key, with a per-IP bucket for anonymous calls (vs a fixed window in the app)"],
            "Next": ["[HIGH] Envoy config", "[MED] 429 body with Retry-After"]}),
        ("2026-07-08 10:30", "Envoy config", "", {
            "Prev": "v1: Design (in_progress)", "Now": "Envoy config", "Progress": "50% | Envoy ✅ | Headers ⏳",
            "Fails": "Health checks from the load balancer were rate limited",
            "Decisions": ["Exempt /healthz and internal CIDRs from limits"],
            "Next": ["[HIGH] Retry-After header", "[LOW] Per-plan limits"]}),
        ("2026-07-15 11:00", "Per-plan limits", "[BLOCKED]", {
            "Prev": "v2: Envoy config (in_progress)", "Now": "Per-plan limits", "Status": "blocked (Pricing team has not fixed the plan limits)",
            "Progress": "70% | Headers ✅ | Plans ⏳",
            "Blockers": ["Pricing team has not fixed the plan limits", "- Owner: @pricing", "- Requested: 2026-07-15 11:10", "- ETA: 2 weeks"],
            "Next": ["[HIGH] [BLOCKED] Per-plan limits", "[MED] Dashboard of 429s per key"]}),
    ]),
]
# fmt: on
