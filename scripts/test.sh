#!/usr/bin/env bash
# The test command: start the real peers (scripts/test-peers.sh), run `swift test`, stop the peers whatever happens.
# Extra arguments go to `swift test` (e.g. scripts/test.sh --filter CatalogTests).
# With CI=true a test whose peer is missing fails instead of being skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PEERS:-}" ]; then
    export PEERS=/tmp/hwa-peers-$$
    stop() { scripts/test-peers.sh down >/dev/null 2>&1 || true; rm -rf "$PEERS"; }
else
    stop() { scripts/test-peers.sh down >/dev/null 2>&1 || true; }
fi
trap stop EXIT
trap 'exit 130' INT TERM
scripts/test-peers.sh up
# shellcheck disable=SC1091
source "$PEERS/env"
swift build --build-tests
swift test --skip-build "$@"
