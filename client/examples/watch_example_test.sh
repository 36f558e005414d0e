#!/usr/bin/env bash
# Runs client/examples/watch.py against a live amendsd, with changes made by the real `amends`
# CLI: it prints the changes, saves its cursor, resumes from it with no duplicate and no gap,
# and reconnects across a server restart. Registered with ctest by CMakeLists.txt here:
#
#   watch_example_test.sh AMENDSD AMENDS WATCH_PY STUBS_DIR
set -euo pipefail
if (($# != 4)); then
  echo "usage: $0 AMENDSD AMENDS WATCH_PY STUBS_DIR" >&2
  exit 2
fi
amendsd=$1 amends=$2 watch_py=$3 stubs=$4
python=/usr/bin/python3  # Debian's, with python3-grpcio and python3-protobuf

tmp=$(mktemp -d)
server_pid= watch_pid=
cleanup() {
  set +e
  [[ -n $watch_pid ]] && kill "$watch_pid" 2>/dev/null
  [[ -n $server_pid ]] && kill -9 "$server_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  for f in "$tmp"/*.log "$tmp"/*.out "$tmp"/*.err; do
    [[ -s $f ]] && { echo "--- ${f##*/}" >&2; cat "$f" >&2; }
  done
  exit 1
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.05 s until it succeeds.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local tries=$((seconds * 20))
  until "$@"; do
    ((--tries > 0)) || fail "timed out after ${seconds}s waiting for $what"
    sleep 0.05
  done
}

db=$tmp/amends.db
"$amendsd" admin --db "$db" team add tokyo-sales --tz Asia/Tokyo 2>"$tmp/admin.err" ||
  fail "amendsd admin team add"
"$amendsd" admin --db "$db" user add sato --team tokyo-sales --role member \
  >"$tmp/token" 2>>"$tmp/admin.err" || fail "amendsd admin user add"
token=$(<"$tmp/token")
[[ $token ]] || fail "amendsd admin user add printed no token"

# start_server [LISTEN [FLAGS...]]: starts amendsd and sets $server_pid and $server (HOST:PORT).
start_server() {
  : >"$tmp/server.log"
  "$amendsd" --db "$db" --listen "${1:-127.0.0.1:0}" --heartbeat 1s "${@:2}" \
    >>"$tmp/server.log" 2>&1 &
  server_pid=$!
  listening() {
    kill -0 "$server_pid" 2>/dev/null || fail "amendsd exited at start"
    server=$(sed -n 's/^amendsd listening on //p' "$tmp/server.log")
    [[ $server ]]
  }
  wait_for 10 "amendsd to listen" listening
}

stop_server() {
  kill -TERM "$server_pid"
  local pid=$server_pid
  gone() { ! kill -0 "$pid" 2>/dev/null; }
  wait_for 15 "amendsd to stop" gone
  wait "$pid" || fail "amendsd exited with status $? on SIGTERM"
  server_pid=
}

cli() {
  AMENDS_SERVER=$server AMENDS_TOKEN=$token timeout 10 "$amends" "$@" >>"$tmp/cli.out" 2>&1 ||
    fail "amends $* exited with status $?"
}

# run_watch NAME ARGS...: runs watch.py in the background into NAME.out / NAME.err.
run_watch() {
  local name=$1
  shift
  timeout 15 "$python" "$watch_py" --server "$server" --token-file "$tmp/token" \
    --cursor-file "$tmp/cursor" --stubs "$stubs" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  watch_pid=$!
}

# finish NAME: waits for the background watch.py, which must exit 0 by itself.
finish() {
  local status=0
  wait "$watch_pid" || status=$?
  watch_pid=
  ((status == 0)) || fail "watch.py ($1) exited with status $status (124: timed out)"
}

connected() { grep -qs '^watch.py: watching' "$tmp/$1.err"; }
cursor() { tr -d '\n' <"$tmp/cursor"; }

# expect NAME LINE...: NAME.out holds exactly these lines, [SEQ] written as [N], and the
# sequences follow each other strictly increasing; sets $last_seq to the last one.
expect() {
  local name=$1
  shift
  mapfile -t got <"$tmp/$name.out"
  ((${#got[@]} == $#)) || fail "watch.py ($name) printed ${#got[@]} lines, expected $#"
  local i=0 want seq prev=${last_seq:-0}
  for want in "$@"; do
    [[ ${got[i]} =~ ^\[([0-9]+)\]\ (.*)$ ]] || fail "watch.py ($name) printed: ${got[i]}"
    seq=${BASH_REMATCH[1]}
    [[ "[N] ${BASH_REMATCH[2]}" == "$want" ]] ||
      fail "watch.py ($name) line $((i + 1)): got '${got[i]}', expected '$want'"
    ((seq > prev)) || fail "watch.py ($name): sequence $seq after $prev"
    prev=$seq
    ((++i))
  done
  last_seq=$prev
  [[ $(cursor) == "$last_seq" ]] ||
    fail "watch.py ($name) saved cursor '$(cursor)', expected $last_seq"
}

start_server

# 1. From the oldest change kept: the report, then the cursor saved at its sequence.
cli report --team tokyo-sales --client ＡＢＣ商事 --contact "総務部 山田様" \
  --kind missed-appointment --severity high \
  --summary "15時のサンプル受け渡しの打ち合わせを失念"
run_watch first --from-oldest --stop-after 1
finish first
expect first "[N] #1 reported by sato, state reported, client ＡＢＣ商事"

# 2. Resumed from the cursor file: one change made while it was stopped, one while it listens.
# No duplicate of the report, no gap.
cli note 1 "先方部長は『誠意を見せてほしい』とのこと"
run_watch resume --stop-after 2
wait_for 10 "watch.py to print the note" grep -qs 'note-added' "$tmp/resume.out"
cli apologize 1 --channel call --note "当日中に電話で謝罪"
finish resume
expect resume "[N] #1 note-added by sato, state reported, client ＡＢＣ商事" \
  "[N] #1 first-apology-recorded by sato, state reported, client ＡＢＣ商事"

# 3. The server restarts under a connected watcher: UNAVAILABLE, reconnect, resume.
run_watch restart --stop-after 1
wait_for 10 "watch.py to connect" connected restart
port=${server##*:}
stop_server
start_server "127.0.0.1:$port"
cli escalate 1 --reason "先方部長がお怒り。上長同行での訪問が必要"
finish restart
grep -q 'UNAVAILABLE' "$tmp/restart.err" || fail "watch.py did not see the server go away"
expect restart "[N] #1 escalated by sato, state escalated, client ＡＢＣ商事"

# 4. Over TLS: the server's certificate made by openssl now, verified with --ca.
stop_server
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
  -keyout "$tmp/tls.key" -out "$tmp/tls.pem" 2>"$tmp/openssl.log" || fail "openssl req"
start_server 127.0.0.1:0 --tls-cert "$tmp/tls.pem" --tls-key "$tmp/tls.key"
run_watch tls --stop-after 1 --ca "$tmp/tls.pem"
wait_for 10 "watch.py to connect over TLS" connected tls
AMENDS_CA=$tmp/tls.pem cli note 1 "TLS越しのメモ"
finish tls
expect tls "[N] #1 note-added by sato, state escalated, client ＡＢＣ商事"

stop_server
echo "PASS: watch.py printed 5 changes, resumed twice from its cursor, over TLS too (last $last_seq)"
