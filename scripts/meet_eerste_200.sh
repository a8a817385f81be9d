#!/usr/bin/env bash
# Time from a fresh clone to the first 200 of /v1/status with `make run`, and the size of its .venv.
# Usage: scripts/meet_eerste_200.sh [runtime|dev] [PORT]
#   runtime: `make run` as it is (installs the package only)
#   dev:     the same, but installing ".[dev]" as `make run` did before issue 28 (for the "before" figure)
# The pip cache of the machine is used as it is (say whether it was warm when you report the figure).
set -euo pipefail
variant="${1:-runtime}"
port="${2:-8123}"
bron="$(cd "$(dirname "$0")/.." && pwd)"
werk="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$werk"' EXIT
git clone --quiet "$bron" "$werk/kloon"
cd "$werk/kloon"
if [ "$variant" = dev ]; then
  sed -i 's|install --quiet -e \.$|install --quiet -e ".[dev]"|' Makefile
fi
start=$(date +%s.%N)
PORT="$port" make run >"$werk/run.log" 2>&1 &
until curl -fsS "http://127.0.0.1:$port/v1/status" >/dev/null 2>&1; do
  if ! kill -0 $! 2>/dev/null; then cat "$werk/run.log"; exit 1; fi
  sleep 0.5
done
eind=$(date +%s.%N)
printf '%s: first 200 after %.0f s; .venv %s\n' "$variant" "$(echo "$eind - $start" | bc)" "$(du -sh .venv | cut -f1)"
