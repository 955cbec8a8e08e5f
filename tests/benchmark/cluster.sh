#!/usr/bin/env bash
# Through nginx or straight to a replica (issue 25): starts the cluster of deploy/cluster.sh (Redis,
# REPLICAS Release replicas, nginx with its shared cache) and drives, with wrk, the page of 100
# statistics and its 304 (If-None-Match with the ETag each address gives) alternately through the
# front (nginx, answering from its cache) and straight to replica 1, ROUNDS times each; prints a
# Markdown table of the medians (requests/s, p50, p99) and stops the cluster.
#
#   bash tests/benchmark/cluster.sh
#
# Environment: DURATION=5 (seconds per run) ROUNDS=5 CONNECTIONS=32 WARMUP=3 REPLICAS=2
#   RUN=/tmp/ogov-bench-cluster (the cluster's folder). Everything shares this machine's cores:
#   nginx, the replicas and wrk, so the figures compare the two paths here, not a deployment's capacity.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${DURATION:-5}
rounds=${ROUNDS:-5}
connections=${CONNECTIONS:-32}
warmup=${WARMUP:-3}
export RUN=${RUN:-/tmp/ogov-bench-cluster} REPLICAS=${REPLICAS:-2}
# No client's budget or log line should be what is measured: the limit out of reach, request lines off.
export PERMITS=1000000000 LOG_SAMPLE=0

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
front=$(bash deploy/cluster.sh up | tail -n 1)
trap 'bash deploy/cluster.sh down >/dev/null 2>&1 || true' EXIT
replica=http://127.0.0.1:$(bash deploy/cluster.sh status | awk '$1 == "replica-1" { print $5 }')
path=/v1/statistics?limit=100
echo "front $front, replica 1 $replica, $(nproc) cores" >&2

etag() { curl -fsI "$1$path" | awk -F': ' 'tolower($1) == "etag" { print $2 }' | tr -d '\r'; }
declare -A RUNS
# run <key> <url> [wrk options]: one measured run, "req/s p50_ms p99_ms non-2xx/3xx+socket errors" kept in RUNS[key]
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v / 1000; else if (v ~ /ms$/) printf "%.2f", v + 0; else printf "%.2f", v * 1000 }'; }
run() {
  local key=$1 url=$2 out; shift 2
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" "$url")
  RUNS[$key]+="$(echo "$out" | awk '/^Requests\/sec/ { printf "%.0f", $2 }') \
$(to_ms "$(echo "$out" | awk '$1 == "50%" { print $2 }')") $(to_ms "$(echo "$out" | awk '$1 == "99%" { print $2 }')") \
$(echo "$out" | awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }')"$'\n'
  echo "  $key: $(echo "${RUNS[$key]}" | tail -n 2 | head -n 1)" >&2
}
median() { printf '%s' "${RUNS[$1]}" | awk -v n="$2" '{ print $n }' | sort -n | awk '{ v[NR] = $1 } END { printf "%s", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
errors() { printf '%s' "${RUNS[$1]}" | awk '{ n += $4 } END { print n + 0 }'; }

# Warm both paths (nginx fills its cache on the first request, the replica its own), then alternate.
front_etag=$(etag "$front"); replica_etag=$(etag "$replica")
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $front_etag" "$front$path")" = 304 ] || { echo "the front does not answer 304" >&2; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $replica_etag" "$replica$path")" = 304 ] || { echo "the replica does not answer 304" >&2; exit 1; }
for url in "$front$path" "$replica$path"; do wrk -t2 -c"$connections" -d"${warmup}s" "$url" >/dev/null; done
cache_status=$(curl -fsI "$front$path" | awk -F': ' 'tolower($1) == "x-cache-status" { print $2 }' | tr -d '\r')
for round in $(seq "$rounds"); do
  echo "round $round" >&2
  run front,200 "$front$path"
  run replica,200 "$replica$path"
  run front,304 "$front$path" -H "If-None-Match: $front_etag"
  run replica,304 "$replica$path" -H "If-None-Match: $replica_etag"
done

echo "| path | answer | req/s | p50 ms | p99 ms | errors |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
for answer in 200 304; do
  for where in front replica; do
    label=$([ "$where" = front ] && echo "through nginx (cache${cache_status:+: $cache_status})" || echo "straight to replica 1")
    echo "| $label | $([ "$answer" = 200 ] && echo "page of 100 (200)" || echo "its 304") | $(median "$where,$answer" 1) | $(median "$where,$answer" 2) | $(median "$where,$answer" 3) | $(errors "$where,$answer") |"
  done
done
echo
echo "$(date -u +%Y-%m-%d), $(git rev-parse --short HEAD), $REPLICAS replicas, wrk -t2 -c$connections, $rounds rounds of ${duration} s each path, medians."
