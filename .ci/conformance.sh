#!/usr/bin/env bash
# Run the official MCP conformance suite (@modelcontextprotocol/conformance) against the real
# server over streamable HTTP: `devlore serve --http` on a free loopback port, on a temporary
# copy of memory_fixtures/. Fails if any scenario fails; the server is always stopped.
#
#   bash .ci/conformance.sh                  # the scenarios that apply to devlore (below)
#   bash .ci/conformance.sh ping tools-list  # just these
#   DEVLORE=/path/to/devlore bash .ci/conformance.sh   # which devlore to serve (default: the
#                                            # one beside $PYTHON, else `devlore` on PATH)
#
# docs/INTEROP.md says why the other scenarios do not apply (they call SDK fixture tools).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCENARIOS=(
    server-initialize
    ping
    tools-list
    resources-list
    resources-subscribe
    resources-unsubscribe
    logging-set-level
    completion-complete
    prompts-list
    dns-rebinding-protection
    server-sse-multiple-streams
)
if [[ $# -gt 0 ]]; then
    SCENARIOS=("$@")
fi
SCENARIO_TIMEOUT=120  # seconds; each takes about one
export NO_COLOR=1 FORCE_COLOR=0  # plain text in CI logs

devlore="${DEVLORE:-}"
if [[ -z "$devlore" && -n "${PYTHON:-}" && -x "$(dirname "$PYTHON")/devlore" ]]; then
    devlore="$(dirname "$PYTHON")/devlore"
fi
devlore="${devlore:-$(command -v devlore || true)}"
if [[ -z "$devlore" ]]; then
    echo "error: no devlore to serve; pip install -e . or set DEVLORE=/path/to/devlore" >&2
    exit 2
fi

started=$SECONDS
tools="$(bash .ci/node-tools.sh conformance)"
node_bin="$(sed -n 's/^node=//p' <<<"$tools")"
conformance="$(sed -n 's/^conformance=//p' <<<"$tools")"
export PATH="$node_bin:$PATH"
echo "conformance: Node $(node --version), $("$conformance" --version), ready in $((SECONDS - started)) s"

work="$(mktemp -d "${TMPDIR:-/tmp}/devlore-conformance.XXXXXX")"
server_pid=""
stop_server() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$server_pid" 2>/dev/null; then
            kill -KILL "$server_pid" 2>/dev/null || true
        fi
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}
cleanup() {
    stop_server
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp -R memory_fixtures "$work/brain"
port="$("${PYTHON:-python3}" -c \
    'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port/mcp"

# No token: loopback needs none, and the suite sends no Authorization header.
env -u DEVLORE_TOKEN "$devlore" serve --http --host 127.0.0.1 --port "$port" --root "$work/brain" \
    </dev/null >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do  # up to 30 s
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "error: devlore exited before serving:" >&2
        cat "$work/server.log" >&2
        exit 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        break
    fi
    sleep 0.1
done
if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "error: devlore did not accept connections on port $port within 30 s:" >&2
    cat "$work/server.log" >&2
    exit 1
fi
echo "conformance: devlore serving $url"

passed=()
failed=()
for scenario in "${SCENARIOS[@]}"; do
    out="$work/$scenario.txt"
    if timeout "$SCENARIO_TIMEOUT" "$conformance" server --url "$url" --scenario "$scenario" \
        </dev/null >"$out" 2>&1; then
        passed+=("$scenario")
        printf '  PASS  %-28s %s\n' "$scenario" "$(grep -o 'Passed: .*' "$out" | tail -1)"
    else
        failed+=("$scenario")
        printf '  FAIL  %-28s %s\n' "$scenario" "$(grep -o 'Passed: .*' "$out" | tail -1)"
        sed 's/^/        /' "$out"
    fi
done

stop_server
if grep -q Traceback "$work/server.log"; then
    echo "error: the server logged a traceback:" >&2
    cat "$work/server.log" >&2
    failed+=("server-log")
fi

# Not "N passed, N failed": CI reads that form as a test runner's closing line (pytest's is above).
echo "conformance: ${#passed[@]} of ${#SCENARIOS[@]} scenarios passed in $((SECONDS - started)) s"
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "conformance: failed: ${failed[*]}" >&2
    exit 1
fi
