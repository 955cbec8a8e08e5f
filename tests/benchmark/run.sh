#!/usr/bin/env bash
# Benchmark (issue #5): the Release API against a bare ASP.NET Core app serving the very same
# bytes from memory (the ceiling), endpoint by endpoint, alternately, with wrk; then the same on
# a synthetic database a thousand times larger. Writes tests/benchmark/RESULTS.md.
#   bash tests/benchmark/run.sh            # DURATION=5 CONNECTIONS=32 FACTOR=1000 by default
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${DURATION:-5}
connections=${CONNECTIONS:-32}
factor=${FACTOR:-1000}
api_port=5481
ceiling_port=5482
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
dotnet build -c Release src/OpenGovernanceApi -v q -nologo >/dev/null
dotnet build -c Release tests/benchmark/Ceiling -v q -nologo >/dev/null
real_db=src/OpenGovernanceApi/bin/Release/net10.0/governance.db
large_db=$work/large.db
python3 tests/benchmark/make-large-db.py "$real_db" "$large_db" "$factor" >&2

wait_for() { for _ in $(seq 300); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

# wrk's latency lines are in us, ms or s; print milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v / 1000; else if (v ~ /ms$/) printf "%.2f", v + 0; else printf "%.2f", v * 1000 }'; }

# run <url> [header]: a short warm-up, then the measured run; prints "rps p50 p99"
run() {
  local out
  if [ -n "${2:-}" ]; then wrk -t2 -c"$connections" -d1s --timeout 30s -H "$2" "$1" >/dev/null; else wrk -t2 -c"$connections" -d1s --timeout 30s "$1" >/dev/null; fi
  if [ -n "${2:-}" ]; then out=$(wrk -t2 -c"$connections" -d"${duration}s" --timeout 30s --latency -H "$2" "$1"); else out=$(wrk -t2 -c"$connections" -d"${duration}s" --timeout 30s --latency "$1"); fi
  local rps p50 p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}')
  p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
  p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
  errors=$(echo "$out" | awk '/Socket errors/ {print}')
  [ -z "$errors" ] || echo "  ($1: $errors)" >&2
  echo "$rps $p50 $p99"
}

declare -A results
bench_database() {
  local label=$1 db=$2
  dotnet src/OpenGovernanceApi/bin/Release/net10.0/OpenGovernanceApi.dll --urls "http://127.0.0.1:$api_port" \
    --Database:Path="$db" --RateLimit:PermitsPerMinute=1000000000 --Logging:LogLevel:Default=Warning >"$work/api-$label.log" 2>&1 &
  local api=$!; pids+=("$api")
  wait_for "http://127.0.0.1:$api_port/healthz"
  local base="http://127.0.0.1:$api_port"
  local -a names=(page100 filtered by-id search geojson csv)
  local -a urls=("/v1/statistics?limit=100" "/v1/statistics?indicator=service-circles,community-workers&sort=-period"
    "/v1/statistics/registered-volunteers-2019-01-09-pc2019" "/v1/search?q=%E5%85%9A%E5%BB%BA" "/v1/regions?format=geojson" "/v1/statistics?format=csv")
  if [ "$label" = large ]; then
    # Page 1000 of the statistics, reached by following links.next, as a client would.
    local deep
    deep=$(python3 - "$base" <<'PY'
import json, sys, urllib.request, urllib.parse
base = sys.argv[1]; url = base + "/v1/statistics?limit=100"
for _ in range(999):  # or as deep as a small database goes
    following = json.load(urllib.request.urlopen(url))["links"]["next"]
    if following is None: break
    url = following
print(urllib.parse.urlsplit(url).path + "?" + urllib.parse.urlsplit(url).query)
PY
)
    names+=(page1000); urls+=("$deep")
  fi
  # Save the API's exact bytes for the ceiling.
  mkdir -p "$work/$label"
  for i in "${!urls[@]}"; do
    echo "${urls[$i]}" > "$work/$label/$i.url"
    curl -fs -o "$work/$label/$i.body" -w '%{content_type}' "$base${urls[$i]}" > "$work/$label/$i.type"
  done
  dotnet tests/benchmark/Ceiling/bin/Release/net10.0/Ceiling.dll "$work/$label" --urls "http://127.0.0.1:$ceiling_port" >/dev/null 2>&1 &
  local ceiling=$!; pids+=("$ceiling")
  wait_for "http://127.0.0.1:$ceiling_port/hello"

  for i in "${!urls[@]}"; do
    results["$label,${names[$i]},api"]=$(run "$base${urls[$i]}")
    results["$label,${names[$i]},ceiling"]=$(run "http://127.0.0.1:$ceiling_port${urls[$i]}")
  done
  local etag
  etag=$(curl -fsI -H 'Accept:' "$base/v1/statistics?limit=100" | awk -F': ' 'tolower($1) == "etag" {print $2}' | tr -d '\r')
  results["$label,304,api"]=$(run "$base/v1/statistics?limit=100" "If-None-Match: $etag")
  results["$label,304,ceiling"]=$(run "http://127.0.0.1:$ceiling_port/not-modified" "If-None-Match: \"same\"")
  results["$label,memory"]=$(awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$api/status")
  kill "$api" "$ceiling"; wait "$api" "$ceiling" 2>/dev/null || true
}

bench_database real "$real_db"
bench_database large "$large_db"

statistics_real=$(sqlite3 "$real_db" 'SELECT count(*) FROM statistics' 2>/dev/null || python3 -c "import sqlite3,sys;print(sqlite3.connect(sys.argv[1]).execute('select count(*) from statistics').fetchone()[0])" "$real_db")
statistics_large=$(python3 -c "import sqlite3,sys;print(sqlite3.connect(sys.argv[1]).execute('select count(*) from statistics').fetchone()[0])" "$large_db")

{
  echo "# Benchmark results"
  echo
  echo "Command: \`bash tests/benchmark/run.sh\` (wrk -t2 -c$connections -d${duration}s per endpoint and target, API then ceiling)."
  echo "Date: $(date -u +%Y-%m-%d). Machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -sr), .NET $(dotnet --version); wrk on the same cores."
  echo "Ceiling: a bare ASP.NET Core app serving the API's very response bytes from memory (for 304: a bare 304)."
  echo
  for label in real large; do
    [ $label = real ] && echo "## Real database ($statistics_real statistics)" || echo "## ${factor}x database ($statistics_large statistics)"
    echo
    echo "| endpoint | API req/s | p50 ms | p99 ms | ceiling req/s | ratio | p99 vs real |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    for name in page100 page1000 filtered by-id search geojson csv 304; do
      [ -n "${results[$label,$name,api]:-}" ] || continue
      read -r rps p50 p99 <<< "${results[$label,$name,api]}"
      read -r crps _ _ <<< "${results[$label,$name,ceiling]}"
      ratio=$(awk -v a="$rps" -v c="$crps" 'BEGIN { printf "%.2f", (c > 0 ? a / c : 0) }')
      versus="-"
      if [ $label = large ]; then
        base_name=$name; [ $name = page1000 ] && base_name=page100
        read -r _ _ rp99 <<< "${results[real,$base_name,api]}"
        versus=$(awk -v a="$p99" -v b="$rp99" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')
      fi
      echo "| $name | $rps | $p50 | $p99 | $crps | $ratio | $versus |"
    done
    echo
    echo "API peak memory (VmHWM): ${results[$label,memory]} MB"
    echo
  done
  echo "## Query plans on the ${factor}x database"
  echo
  echo '```'
  python3 tests/benchmark/query-plans.py "$large_db"
  echo '```'
} | tee tests/benchmark/RESULTS.md
