#!/usr/bin/env bash
# Compares the server CPU time per request of two revisions of the API (does a change make it
# cheaper?), with less noise than two benchmark runs one after the other.
#
#   bash tests/benchmark/compare.sh <base revision> [<revision>, default: the working tree]
#
# Both builds run at once and are loaded at once (wrk -t1 -c16 each), so a slow phase of the
# machine slows both alike: on this 2-core machine the speed of a run moves by 10-20% from one
# phase to the next, more than most changes are worth. Even so, the second server started comes
# out a few percent dearer, so the rounds are run in both orders: with ratio r1 = B/A (A started
# first) and r2 = A/B (B started first), sqrt(r1 / r2) is B's cost relative to A's with that
# bias cancelled. CPU time is the server process's user + system time from /proc.
#
# Environment: URL=/v1/statistics/registered-volunteers-2019-01-09-pc2019 MODE=304 (or 200: the
#   answer itself, from the answer cache) ROUNDS=10 (per order) SECONDS_PER_ROUND=4
#   PORTS="5591 5592" ENV_A= ENV_B= (extra environment for a server, e.g. DOTNET_TieredPGO=0, to
#   compare settings on one revision) EXTRA_HEADER= (one more request header for both servers, e.g.
#   'Accept-Encoding: br' to measure the compressed answer; in MODE=304 the ETag is asked for with it).
# In MODE=304 each server is sent its own ETag: an ETag is a function of the host, port included.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
base=${1:?usage: compare.sh <base revision> [<revision>]}
other=${2:-}
url=${URL:-/v1/statistics/registered-volunteers-2019-01-09-pc2019}
mode=${MODE:-304}
rounds=${ROUNDS:-10}
secs=${SECONDS_PER_ROUND:-4}
read -r port_a port_b <<<"${PORTS:-5591 5592}"
extra=()
[ -n "${EXTRA_HEADER:-}" ] && extra=(-H "$EXTRA_HEADER")

work=$(mktemp -d /tmp/ogov-compare.XXXXXX)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  git -C "$repo" worktree remove --force "$work/src-a" 2>/dev/null || true
  git -C "$repo" worktree remove --force "$work/src-b" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
command -v wrk >/dev/null || { apt-get update && apt-get install -y wrk; }

# build <revision or empty> <name>: a Release build of that revision (or of the working tree) in $work/<name>
build() {
  local src=$repo
  if [ -n "$1" ]; then
    src="$work/src-$2"
    git -C "$repo" worktree add --detach --quiet "$src" "$1"
  fi
  echo "building ${1:-working tree} -> $2" >&2
  # Built in place (not with -o, which would also move the data builder the build runs), then copied.
  dotnet build "$src/src/OpenGovernanceApi" -c Release -nologo -v quiet >/dev/null
  cp -r "$src/src/OpenGovernanceApi/bin/Release/net10.0" "$work/$2"
}
build "$base" a
build "$other" b

# start <build> <port> <extra environment>: the server (its pid in $started), rate limit raised, request log on as shipped
start() {
  (cd "$work/$1" && exec env $3 dotnet OpenGovernanceApi.dll --urls "http://127.0.0.1:$2" \
    --RateLimit:PermitsPerMinute=1000000000 >/dev/null 2>&1) &
  started=$!
  pids+=("$started")
  local i
  for i in $(seq 100); do curl -fs "http://127.0.0.1:$2/healthz" >/dev/null && return; sleep 0.1; done
  echo "the server on port $2 did not start" >&2; exit 1
}
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# etag_of <port>: the ETag that server gives the URL (with EXTRA_HEADER, if any)
etag_of() { curl -sI "${extra[@]}" "http://127.0.0.1:$1$url" | awk -F': ' 'tolower($1)=="etag" {print $2}' | tr -d '\r'; }
# check_304 <port> <If-None-Match header>: stops unless that server answers it 304
check_304() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "$2" "${extra[@]}" "http://127.0.0.1:$1$url")
  [ "$code" = 304 ] || { echo "the server on port $1 answers $code, not 304, to $2" >&2; exit 1; }
}

# run_order <first build> <second build> <first env> <second env>: prints one ratio (second / first) per round
run_order() {
  local pa pb header_a header_b
  start "$1" "$port_a" "$3"; pa=$started
  start "$2" "$port_b" "$4"; pb=$started
  header_a="X-Compare: 1"; header_b="X-Compare: 1"
  if [ "$mode" = 304 ]; then
    header_a="If-None-Match: $(etag_of "$port_a")"; header_b="If-None-Match: $(etag_of "$port_b")"
    check_304 "$port_a" "$header_a"; check_304 "$port_b" "$header_b"
  fi
  # Warm-up: the JIT's tiering needs a few seconds of load (see the README).
  wrk -t1 -c16 -d5s -H "$header_a" "${extra[@]}" "http://127.0.0.1:$port_a$url" >/dev/null &
  wrk -t1 -c16 -d5s -H "$header_b" "${extra[@]}" "http://127.0.0.1:$port_b$url" >/dev/null; wait $!
  local i a0 b0 a1 b1 na nb
  for i in $(seq "$rounds"); do
    a0=$(ticks "$pa"); b0=$(ticks "$pb")
    wrk -t1 -c16 -d"${secs}s" -H "$header_a" "${extra[@]}" "http://127.0.0.1:$port_a$url" >"$work/wrk-a" &
    wrk -t1 -c16 -d"${secs}s" -H "$header_b" "${extra[@]}" "http://127.0.0.1:$port_b$url" >"$work/wrk-b"; wait $!
    a1=$(ticks "$pa"); b1=$(ticks "$pb")
    na=$(awk '/requests in/ {print $1}' "$work/wrk-a"); nb=$(awk '/requests in/ {print $1}' "$work/wrk-b")
    awk -v a=$((a1 - a0)) -v b=$((b1 - b0)) -v na="$na" -v nb="$nb" \
      'BEGIN { printf "%.4f %.2f %.2f\n", (b / nb) / (a / na), a * 10000 / na, b * 10000 / nb }'
  done
  kill "$pa" "$pb"; wait 2>/dev/null || true
  pids=()
}

echo "round ratios, then CPU us/request of the first and second server started" >&2
run_order a b "${ENV_A:-}" "${ENV_B:-}" | tee "$work/ab" >&2
run_order b a "${ENV_B:-}" "${ENV_A:-}" | tee "$work/ba" >&2
python3 - "$work/ab" "$work/ba" "$base" "${other:-working tree}" "$mode" "$url" <<'EOF'
import math, statistics, sys
ab = [float(l.split()[0]) for l in open(sys.argv[1])]
ba = [float(l.split()[0]) for l in open(sys.argv[2])]
a_us = [float(l.split()[1]) for l in open(sys.argv[1])] + [float(l.split()[2]) for l in open(sys.argv[2])]
b_us = [float(l.split()[2]) for l in open(sys.argv[1])] + [float(l.split()[1]) for l in open(sys.argv[2])]
r1, r2 = statistics.median(ab), statistics.median(ba)
print(f"{sys.argv[6]} ({sys.argv[5]}): CPU per request, {sys.argv[4]} / {sys.argv[3]} = {math.sqrt(r1 / r2):.3f}"
      f"  (medians: B/A {r1:.3f} with A started first, A/B {r2:.3f} with B started first;"
      f" start-order bias {math.sqrt(r1 * r2):.3f}; median us/request {statistics.median(a_us):.1f} vs {statistics.median(b_us):.1f})")
EOF
