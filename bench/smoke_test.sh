#!/usr/bin/env bash
# The ctest smoke test of one benchmark: bench/smoke_test.sh NAME BINARY [ARGS...]
#
# Runs `BINARY --size tiny --results FILE ARGS...` in a new temporary directory and passes if it
# exits 0 and FILE then holds exactly one run, whose "benchmark" is NAME, with at least one
# table of at least one row, and no note of changes the rules refused (a load that no longer
# does what it measures, such as a step the rules now forbid). It never looks at a timing: it is
# there so that no benchmark rots.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 NAME BINARY [ARGS...]" >&2
  exit 2
fi
name=$1
binary=$2
shift 2

dir=$(mktemp -d "${TMPDIR:-/tmp}/amends-bench-smoke.XXXXXX")
trap 'rm -rf "$dir"' EXIT
results=$dir/r.json

"$binary" --size tiny --results "$results" "$@" || {
  echo "smoke_test: $binary exited with $?" >&2
  exit 1
}

/usr/bin/python3 - "$name" "$results" <<'PY'
import json, sys

name, path = sys.argv[1], sys.argv[2]
try:
    with open(path) as f:
        runs = json.load(f)
except (OSError, ValueError) as e:
    sys.exit(f"smoke_test: cannot read {path}: {e}")
if not isinstance(runs, list) or len(runs) != 1:
    sys.exit(f"smoke_test: want one run in {path}, found {runs!r:.200}")
run = runs[0]
if run.get("benchmark") != name:
    sys.exit(f"smoke_test: the run is of {run.get('benchmark')!r}, not {name!r}")
if run.get("size") != "tiny":
    sys.exit(f"smoke_test: the run's size is {run.get('size')!r}, not 'tiny'")
# The rules refusing a change means the load no longer does what it measures; a busy machine
# timing a call out does not.
refusals = ("FAILED_PRECONDITION", "INVALID_ARGUMENT", "PERMISSION_DENIED", "NOT_FOUND")
failed = [n for n in run.get("notes", [])
          if ": errors: " in n and any(code in n for code in refusals)]
if failed:
    sys.exit("smoke_test: the rules refused changes during the run:\n  " + "\n  ".join(failed))
tables = [t for t in run.get("tables", []) if t.get("rows")]
if not tables:
    sys.exit("smoke_test: no table with a row")
print(f"smoke_test: {name}: {len(tables)} table(s), "
      f"{sum(len(t['rows']) for t in tables)} row(s)")
PY
