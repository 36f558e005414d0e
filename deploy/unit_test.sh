#!/usr/bin/env bash
# The systemd unit keeps its hardening: the settings issue 13 asks for are there, and
# `systemd-analyze security` (offline: no running systemd needed) rates it at most the
# exposure README's "Deploying" section states.
#   deploy/unit_test.sh deploy/amendsd.service
set -euo pipefail
unit=$1
stated=1.2  # README.md, "Deploying"
for setting in User=amends StateDirectoryMode=0700 UMask=0077 ProtectSystem=strict \
  NoNewPrivileges=yes PrivateTmp=yes 'CapabilityBoundingSet=' \
  'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' SystemCallFilter=@system-service; do
  grep -qxF -- "$setting" "$unit" || { echo "FAIL: $unit lacks the line $setting" >&2; exit 1; }
done
report=$(systemd-analyze security --offline=true "$unit" 2>&1 || true)
score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p' <<<"$report")
echo "systemd-analyze security: $score"
read -r value level <<<"$score"
if [[ -z ${value:-} ]]; then
  echo "FAIL: no score in:" >&2; echo "$report" >&2; exit 1
fi
if awk -v v="$value" -v s="$stated" 'BEGIN { exit !(v > s) }'; then
  echo "FAIL: exposure $value is above the $stated README states" >&2
  echo "$report" | grep '✗' >&2
  exit 1
fi
[[ $level == OK || $level == SAFE || $level == PERFECT ]] || { echo "FAIL: rated $level" >&2; exit 1; }
echo "PASS"
