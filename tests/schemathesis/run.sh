#!/usr/bin/env bash
# schemathesis against the live server: on a temporary SQLite file and on a temporary
# PostgreSQL database, both at once, one schemathesis process each (its worker threads
# can crash CPython 3.11's ast.parse, which Hypothesis calls, and a second process uses
# the second core as well). MAX_EXAMPLES (50) sets the cases per operation and phase,
# BACKENDS the backends, SEED (1) the seed. Prints each backend's case count and time,
# and the total.
set -euo pipefail
cd "$(dirname "$0")/../.."
max_examples="${MAX_EXAMPLES:-50}"
read -r -a backends <<<"${BACKENDS:-sqlite postgresql}"
work="$(mktemp -d)"
pg_db="schemathesis_$$"
cleanup() {
  # What is still running (after a failure or Ctrl-C): the schemathesis runs, the servers.
  for pid_file in "$work"/*.pid; do
    [ -e "$pid_file" ] && kill "$(cat "$pid_file")" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# One free port per backend, all bound at once so that no two are the same.
read -r -a ports <<<"$(uv run python -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
' "${#backends[@]}")"

fuzz() {  # backend port: writes $work/<backend>.log and $work/<backend>.summary
  local backend=$1 port=$2 url server token status=0 start=$SECONDS
  if [ "$backend" = sqlite ]; then
    url="sqlite+aiosqlite:///$work/schemathesis.db"
  else
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $pg_db" >/dev/null
    url="postgresql+asyncpg://postgres@127.0.0.1:5432/$pg_db"
  fi
  # The fuzzer signs in as an admin, with an API token: every operation is open to it.
  DATABASE_URL="$url" uv run supportdesk users create-admin --email fuzz@example.com >/dev/null
  token="$(DATABASE_URL="$url" uv run supportdesk users token --email fuzz@example.com)"
  # No LLM provider: the fuzzer must not reach out; the local model answers.
  DATABASE_URL="$url" LLM_PROVIDER= uv run supportdesk serve --host 127.0.0.1 --port "$port" \
    >"$work/server-$backend.log" 2>&1 &
  server=$!
  echo "$server" >"$work/server-$backend.pid"
  # Excluded: GET /api/events is an endless SSE stream (a fuzzer request never ends),
  # POST .../draft/generate streams from an LLM, which the test server has none of (409),
  # and DELETE /api/auth/tokens/{id} would revoke the fuzzer's own token (id 1) and turn
  # every later request into a 401 (tests/auth cover revoking).
  uv run schemathesis --config-file tests/schemathesis/schemathesis.toml run \
    "http://127.0.0.1:$port/openapi.json" \
    --wait-for-schema 60 \
    --checks all \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$max_examples" \
    --exclude-operation-id events \
    --exclude-operation-id generateTicketDraft \
    --exclude-operation-id revokeToken \
    --header "Authorization: Bearer $token" \
    --request-timeout 30 \
    --suppress-health-check all \
    --seed "${SEED:-1}" \
    --workers 1 \
    >"$work/$backend.log" 2>&1 &
  echo $! >"$work/schemathesis-$backend.pid"
  wait $! || status=$?
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  # schemathesis' summary: "2654 generated, 2654 passed" (or "..., 1 found 1 unique failure").
  local cases
  cases="$(grep -oE '[0-9]+ generated' "$work/$backend.log" | tail -1 | cut -d' ' -f1)"
  echo "${cases:-0} $((SECONDS - start))" >"$work/$backend.summary"
  return "$status"
}

start=$SECONDS
pids=()
for i in "${!backends[@]}"; do
  fuzz "${backends[$i]}" "${ports[$i]}" &
  pids+=("$!")
done
failed=()
for i in "${!backends[@]}"; do
  wait "${pids[$i]}" || failed+=("${backends[$i]}")
done

total=0
for backend in "${backends[@]}"; do
  read -r cases seconds <"$work/$backend.summary"
  total=$((total + cases))
  echo "schemathesis on $backend: $cases cases in ${seconds}s"
done
echo "schemathesis: $total cases on ${#backends[@]} backend(s) in $((SECONDS - start))s"

for backend in "${failed[@]}"; do
  echo "schemathesis failed on $backend:" >&2
  cat "$work/$backend.log" >&2
  echo "server log ($backend), last lines:" >&2
  tail -30 "$work/server-$backend.log" >&2
done
[ "${#failed[@]}" -eq 0 ]
