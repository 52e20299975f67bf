#!/usr/bin/env bash
# The compiled embedded start on another Node.js line than the one the tests ran on: the native
# addon (better-sqlite3) is built for that line's ABI in a copy of its package, swapped in for the
# run and swapped back after. Then: start with demo journeys, answer /health, accept a demo token
# and serve GET /journeys. Called by .ci/run after the README's test command, with a Node.js home.
#
#   test/runtime/node-line-smoke.sh <node-home>
set -euo pipefail
cd "$(dirname "$0")/../.."
node_home=$1
other_node="$node_home/bin/node"
echo "smoke: the compiled start on Node.js $("$other_node" -v)"

addon_dir=$(node -p 'require("path").dirname(require.resolve("better-sqlite3/package.json", { paths: [require("fs").realpathSync("packages/eventstore")] }))')
addon="$addon_dir/build/Release/better_sqlite3.node"
work=$(mktemp -d)
data="$work/data"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -f "$work/better_sqlite3.node.original" ] && cp "$work/better_sqlite3.node.original" "$addon"
  rm -rf "$work"
}
trap cleanup EXIT

# The addon for the other line, compiled against its headers in a copy of the package.
cp -r "$addon_dir" "$work/better-sqlite3"
(
  cd "$work/better-sqlite3"
  # The registry's Node.js packages carry no npm, so no node-gyp: a pinned one, run by that node.
  PATH="$node_home/bin:$PATH" npm_config_nodedir="$node_home" \
    npx -y node-gyp@12.1.0 rebuild --release --nodedir="$node_home" \
    >"$work/build.log" 2>&1
) || {
  tail -n 30 "$work/build.log" >&2
  exit 1
}
cp "$addon" "$work/better_sqlite3.node.original"
cp "$work/better-sqlite3/build/Release/better_sqlite3.node" "$addon"

port=$((30000 + RANDOM % 20000))
(
  cd services/all-in-one
  DATA_DIR="$data" DEMO_JOURNEYS=20 PORT="$port" HOST=127.0.0.1 LOG_LEVEL=warn \
    exec "$other_node" --enable-source-maps --liftoff-only dist/main.js
) >"$work/server.log" 2>&1 &
server=$!
started=$(date +%s)
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do
  if ! kill -0 "$server" 2>/dev/null || [ $(($(date +%s) - started)) -gt 300 ]; then
    echo "smoke: no /health answer on Node.js $("$other_node" -v)" >&2
    tail -n 30 "$work/server.log" >&2
    exit 1
  fi
  sleep 1
done
token=$(cd services/all-in-one && DATA_DIR="$data" "$other_node" dist/token-cli.js caseworker)
status=$(curl -s -o "$work/journeys.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/journeys")
if [ "$status" != 200 ]; then
  echo "smoke: GET /journeys answered $status on Node.js $("$other_node" -v)" >&2
  cat "$work/journeys.json" >&2
  exit 1
fi
echo "smoke: Node.js $("$other_node" -v) started in $(($(date +%s) - started)) s with 20 demo journeys, answered /health and GET /journeys 200"
