#!/usr/bin/env bash
# schemathesis against the live server: once on a temporary SQLite file, once on a
# temporary PostgreSQL database. MAX_EXAMPLES sets the cases per operation and phase.
set -euo pipefail
cd "$(dirname "$0")/../.."
max_examples="${MAX_EXAMPLES:-40}"
backends="${BACKENDS:-sqlite postgresql}"
work="$(mktemp -d)"
server=""
pg_db="schemathesis_$$"
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { uv run python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

for backend in $backends; do
  if [ "$backend" = sqlite ]; then
    url="sqlite+aiosqlite:///$work/schemathesis.db"
  else
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $pg_db" >/dev/null
    url="postgresql+asyncpg://postgres@127.0.0.1:5432/$pg_db"
  fi
  port="$(free_port)"
  # No LLM provider: the fuzzer must not reach out; the local model answers.
  DATABASE_URL="$url" LLM_PROVIDER= uv run supportdesk serve --host 127.0.0.1 --port "$port" \
    >"$work/server-$backend.log" 2>&1 &
  server=$!
  # Excluded: GET /api/events is an endless SSE stream (a fuzzer request never ends), and
  # POST .../draft/generate streams from an LLM, which the test server has none of (409).
  if ! uv run schemathesis run "http://127.0.0.1:$port/openapi.json" \
    --wait-for-schema 60 \
    --checks all \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$max_examples" \
    --exclude-operation-id events \
    --exclude-operation-id generateTicketDraft \
    --request-timeout 30 \
    --suppress-health-check all \
    --seed 1 \
    --workers 2; then
    echo "schemathesis failed on $backend; server log: $work/server-$backend.log" >&2
    tail -30 "$work/server-$backend.log" >&2
    exit 1
  fi
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done
