#!/bin/bash
# Runs a command next to a private etcd: bench/with_etcd.sh CMD [ARGS...]
#
# Starts Debian's /usr/bin/etcd (package etcd-server; etcdctl is etcd-client's) as a single
# member on loopback with its default settings, so that every write is fsynced in its raft log
# before it is acknowledged, and a new data directory under $TMPDIR (the file system amends'
# benchmarks write to); waits until `etcdctl endpoint health` answers, then runs CMD with
#   ETCD_ENDPOINT=127.0.0.1:PORT  (the client URL, for gRPC)
#   ETCD_PID=PID                  (for /proc/PID figures)
# in its environment. Afterwards, however CMD ends, etcd is stopped and the data directory
# removed. Exits with CMD's status (printing the end of etcd's log if that is not 0), or 1 if
# etcd would not start (its whole log is printed then).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

ETCD=/usr/bin/etcd
ETCDCTL=/usr/bin/etcdctl
START_WITHIN=20  # seconds
for tool in "$ETCD" "$ETCDCTL"; do
  if [ ! -x "$tool" ]; then
    echo "with_etcd.sh: $tool is missing: apt-get install etcd-server etcd-client" >&2
    exit 1
  fi
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/amends-etcd.XXXXXX")
etcd_pid=
# shellcheck disable=SC2317  # run by the EXIT trap
stop() {
  if [ -n "$etcd_pid" ]; then
    kill "$etcd_pid" 2>/dev/null || true
    wait "$etcd_pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Two ports the kernel considers free now. Another process may take one before etcd binds it,
# so a start that fails on a taken address is retried with new ports.
free_ports() {
  /usr/bin/python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))'
}

# Starts etcd and waits until it is healthy. Returns 0 when healthy, 2 when a port was taken
# (worth another try), 1 otherwise.
start_etcd() {
  local client peer
  read -r client peer < <(free_ports)
  rm -rf "$dir/data"
  "$ETCD" --name bench --data-dir "$dir/data" \
    --listen-client-urls "http://127.0.0.1:$client" \
    --advertise-client-urls "http://127.0.0.1:$client" \
    --listen-peer-urls "http://127.0.0.1:$peer" \
    --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "bench=http://127.0.0.1:$peer" \
    --initial-cluster-state new \
    --logger zap --log-outputs stderr \
    >"$dir/etcd.log" 2>&1 </dev/null &
  etcd_pid=$!
  ETCD_ENDPOINT="127.0.0.1:$client"
  local deadline=$((SECONDS + START_WITHIN))
  until ETCDCTL_API=3 "$ETCDCTL" --endpoints="$ETCD_ENDPOINT" --command-timeout=1s \
      endpoint health >/dev/null 2>&1; do
    if ! kill -0 "$etcd_pid" 2>/dev/null; then
      wait "$etcd_pid" 2>/dev/null || true
      etcd_pid=
      if grep -q "address already in use" "$dir/etcd.log"; then return 2; fi
      echo "with_etcd.sh: etcd exited before it was healthy; its log:" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "with_etcd.sh: etcd not healthy at $ETCD_ENDPOINT within ${START_WITHIN}s; its log:" >&2
      return 1
    fi
    sleep 0.2
  done
}

for attempt in 1 2 3; do
  result=0
  start_etcd || result=$?
  if [ "$result" -eq 0 ]; then break; fi
  if [ "$result" -eq 1 ] || [ "$attempt" -eq 3 ]; then
    cat "$dir/etcd.log" >&2
    exit 1
  fi
done

export ETCD_ENDPOINT ETCD_PID="$etcd_pid"
status=0
"$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "with_etcd.sh: $1 exited with $status; the end of etcd's log:" >&2
  tail -n 20 "$dir/etcd.log" >&2
fi
exit "$status"
