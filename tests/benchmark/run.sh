#!/usr/bin/env bash
# Benchmark (issue #5). Builds Release, starts the API and, beside it, a bare ASP.NET Core app that
# serves the very same response bytes from memory (the ceiling, tests/benchmark/Ceiling), and
# drives both alternately with wrk, endpoint by endpoint; then does the same on a synthetic
# database FACTOR times larger (make-large-db.py), adding page 1000 reached by links.next, and
# prints the SQLite query plans (query-plans.py). Writes tests/benchmark/RESULTS.md.
#
#   bash tests/benchmark/run.sh
#
# Environment: DURATION=3 (seconds per measured run) ROUNDS=5 (API and ceiling runs, alternately;
#   the median run is reported, and API / ceiling is the median of the rounds' ratios) WARMUP=2 CONNECTIONS=32 COLD_CONNECTIONS=2
#   FACTOR=1000 API_PORT=5581 CEILING_PORT=5582 MAX_OTHER_CPU=10 (%; a run during which other
#   processes used more of the CPU is repeated, at most twice) LARGE_DB=<file> (reused if present,
#   else the generated file is kept there) RESULTS=tests/benchmark/RESULTS.md.
#
# Each endpoint is measured three ways, with 2 wrk threads:
#   hot     the same URL again and again at CONNECTIONS connections, as clients and caches repeat
#           it: the API answers from its in-memory answer cache (HttpCaching);
#   ceiling the same, against the bare app serving the same body, Content-Type and Content-Encoding
#           from memory (for the 304: a bare app answering 304 to its own ETag, and its hello-world,
#           the issue's yardstick);
# page100-br is page100 asked for with Accept-Encoding: br, as browsers and HTTP libraries ask.
#   cold    every request under a new Host (cold.lua), so nothing comes from the answer cache and
#           each one runs the handler and its SQL, at COLD_CONNECTIONS connections, so latency is
#           the cost of computing one answer rather than time spent queueing: how it grows with
#           the data is what the large database shows. After WARMUP seconds of the same, as the hot runs.
# Answers too large for the API to keep (over 16 MiB: the full CSV of the large database) are
# streamed on every request; they are measured at COLD_CONNECTIONS for STREAM_SECONDS=20.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
duration=${DURATION:-3}
rounds=${ROUNDS:-5}
warmup=${WARMUP:-2}
connections=${CONNECTIONS:-32}
cold_connections=${COLD_CONNECTIONS:-2}
stream_seconds=${STREAM_SECONDS:-15}
factor=${FACTOR:-1000}
api_port=${API_PORT:-5581}
ceiling_port=${CEILING_PORT:-5582}
max_other=${MAX_OTHER_CPU:-10}
results_file=${RESULTS:-tests/benchmark/RESULTS.md}
large_entry=$((16 * 1024 * 1024)) # HttpCaching's Caching:MaxEntryBytes default
cores=$(nproc)
started=$(date +%s)

work=$(mktemp -d /tmp/ogov-benchmark.XXXXXX)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[$(( $(date +%s) - started ))s] $*" >&2; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$api_port" "$ceiling_port"; do
  if listening "$port"; then echo "port $port is in use; set API_PORT / CEILING_PORT" >&2; exit 1; fi
done

command -v wrk >/dev/null || { log "installing wrk"; apt-get update && apt-get install -y wrk; }
log "building Release"
dotnet build -c Release src/OpenGovernanceApi -nologo -v q >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dotnet build -c Release tests/benchmark/Ceiling -nologo -v q >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
api_dir=$repo/src/OpenGovernanceApi/bin/Release/net10.0
ceiling_dll=$repo/tests/benchmark/Ceiling/bin/Release/net10.0/Ceiling.dll
real_db=$api_dir/governance.db

large_db=${LARGE_DB:-$work/large.db}
if [ -f "$large_db" ]; then
  log "reusing $large_db"
else
  log "generating the ${factor}x database"
  python3 tests/benchmark/make-large-db.py "$real_db" "$large_db" "$factor" >&2
fi

# ---------------------------------------------------------------------------------------------
# CPU accounting: how much of the machine other processes used during a run (the API, the
# ceiling and wrk are ours). /proc counts in clock ticks (USER_HZ, 100 per second). Interrupt
# time is left out: the loopback traffic's own softirq work is charged to no process.
cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 }' /proc/stat; }
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
children_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; } # this script's children (wrk), once reaped
ours() {
  local ticks=$(( $(proc_ticks "$api") + $(children_ticks) ))
  [ -n "${ceiling:-}" ] && ticks=$(( ticks + $(proc_ticks "$ceiling") ))
  echo "$ticks"
}

# wrk's latency figures are in us, ms or s: milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { if (v == "") print "-"; else if (v ~ /us$/) printf "%.2f", v / 1000; else if (v ~ /ms$/) printf "%.2f", v + 0; else if (v ~ /m$/) printf "%.0f", v * 60000; else printf "%.2f", v * 1000 }'; }

declare -A R RUNS # R[label,endpoint,mode] = "rps p50 p99 requests bad other% server-CPU-us/request"; RUNS: every round
# measure <key> <connections> <seconds> <warm-up seconds> <url> [wrk options]: one run, kept in RUNS[key]
measure() {
  local key=$1 conns=$2 secs=$3 warm=$4 url=$5; shift 5
  local attempt out line other best="" best_other=1000000 busy0 ours0
  if [ "$warm" -gt 0 ]; then wrk -t2 -c"$conns" -d"${warm}s" --timeout 60s "$@" "$url" >/dev/null; fi
  # The server's own CPU time per request: less sensitive than req/s to how wrk's threads and the
  # server's share the two cores, so it shows how much more work the API does than the bare app.
  local server=$api server0
  [[ $url == *":$ceiling_port/"* ]] && server=$ceiling
  for attempt in 1 2 3; do
    busy0=$(cpu_busy); ours0=$(ours); server0=$(proc_ticks "$server")
    out=$(wrk -t2 -c"$conns" -d"${secs}s" --timeout 60s --latency "$@" "$url")
    local server_ticks=$(( $(proc_ticks "$server") - server0 ))
    other=$(( ( $(cpu_busy) - busy0 - ( $(ours) - ours0 ) ) * 100 / (secs * 100 * cores) ))
    (( other < 0 )) && other=0
    local done_count p50=- p99=-
    done_count=$(echo "$out" | awk '/requests in/ { print $1 }')
    if [ "${done_count:-0}" -gt 0 ]; then
      p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" { print $2 }')")
      p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" { print $2 }')")
    fi
    line="$(echo "$out" | awk '/^Requests\/sec/ { if ($2 >= 100) printf "%.0f", $2; else printf "%.1f", $2 }') $p50 $p99 ${done_count:-0} \
$(echo "$out" | awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }') $other \
$(awk -v t="$server_ticks" -v n="${done_count:-0}" 'BEGIN { if (n > 0) printf "%.1f", t * 10000 / n; else print "-" }')"
    if (( other < best_other )); then best=$line; best_other=$other; fi
    (( other <= max_other )) && break
    (( $(date +%s) - started > 900 )) && break # keep the whole run bounded
    log "  $key: other processes used ${other}% of the CPU; again"
    sleep 3
  done
  RUNS[$key]+="$best"$'\n'
  log "  $key: $best"
}

# The run of median requests/second among a key's rounds (its latencies: see lat below).
settle() { R[$1]=$(printf '%s' "${RUNS[$1]}" | sort -n -k1,1 | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'); }

# pair <label,endpoint> <api url> <ceiling url> [wrk options]: warm both up, then API and ceiling
# alternately, ROUNDS times each. With HELLO_URL set, each round also runs the bare app's hello-world
# (kept as <label,endpoint>,hello).
pair() {
  local key=$1 api_url=$2 ceiling_url=$3 round; shift 3
  wrk -t2 -c"$connections" -d"${warmup}s" --timeout 60s "$@" "$api_url" >/dev/null
  wrk -t2 -c"$connections" -d"${warmup}s" --timeout 60s "$@" "$ceiling_url" >/dev/null
  if [ -n "${HELLO_URL:-}" ]; then wrk -t2 -c"$connections" -d"${warmup}s" "$HELLO_URL" >/dev/null; fi
  for round in $(seq "$rounds"); do
    measure "$key,hot" "$connections" "$duration" 0 "$api_url" "$@"
    measure "$key,ceiling" "$connections" "$duration" 0 "$ceiling_url" "$@"
    if [ -n "${HELLO_URL:-}" ]; then measure "$key,hello" "$connections" "$duration" 0 "$HELLO_URL"; fi
  done
  settle "$key,hot"; settle "$key,ceiling"
  if [ -n "${HELLO_URL:-}" ]; then settle "$key,hello"; fi
}

vm() { awk -v k="$2:" '$1 == k { printf "%d", $2 / 1024 }' "/proc/$1/status"; }

# ---------------------------------------------------------------------------------------------
declare -A BODY HWM STATS
bench() {
  local label=$1 db=$2
  log "$label database: starting the API"
  # Started from its own folder, as deployed, so its appsettings.json applies (request logs on). Request
  # lines with a 1xx-4xx status are dropped on the way to the file; errors and 5xx lines are kept.
  (cd "$api_dir" && Database__Path="$db" exec dotnet OpenGovernanceApi.dll --urls "http://127.0.0.1:$api_port" \
    --RateLimit:PermitsPerMinute=100000000) \
    > >(grep --line-buffered -v '"Category":"OpenGovernanceApi.Requests".*"status":[1-4][0-9][0-9],' >"$work/api-$label.log") 2>&1 &
  api=$!; pids+=("$api"); ceiling=
  local base="http://127.0.0.1:$api_port"
  for _ in $(seq 600); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fs "$base/healthz" >/dev/null || { cat "$work/api-$label.log"; exit 1; }
  STATS[$label]=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from statistics').fetchone()[0])" "$db")

  # page100-br: the same page asked for as a browser or an HTTP library asks, accepting Brotli.
  # stat-page: the page for people of the statistic by-id gives as JSON (issue 23: at most twice its cost).
  names=(page100 page100-br filtered by-id stat-page search geojson csv)
  urls=("/v1/statistics?limit=100" "/v1/statistics?limit=100" "/v1/statistics?indicator=service-circles,community-workers&sort=-period"
    "/v1/statistics/registered-volunteers-2019-01-09-pc2019" "/en/statistics/registered-volunteers-2019-01-09-pc2019"
    "/v1/search?q=%E5%85%9A%E5%BB%BA" "/v1/regions?format=geojson" "/v1/statistics?format=csv")
  codings=("" br "" "" "" "" "" "")
  if [ "${STATS[$label]}" -ge 100000 ]; then
    # Page 1000 of /v1/statistics?limit=100, reached as a client does: following links.next 999 times.
    local deep
    deep=$(python3 - "$base" "$db" <<'PY'
import json, sqlite3, sys, urllib.parse, urllib.request
base, db = sys.argv[1], sys.argv[2]
url = base + "/v1/statistics?limit=100&fields=id"
for _ in range(999):
    url = json.load(urllib.request.urlopen(url))["links"]["next"]
cursor = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["cursor"][0]
deep = "/v1/statistics?" + urllib.parse.urlencode({"limit": 100, "cursor": cursor})
page = json.load(urllib.request.urlopen(base + deep))
expected = sqlite3.connect(db).execute("SELECT id FROM statistics ORDER BY id LIMIT 1 OFFSET 99900").fetchone()[0]
assert page["data"][0]["id"] == expected and page["meta"]["count"] == 100, (page["data"][0]["id"], expected)
print(deep)
PY
)
    names=(page100 page1000 "${names[@]:1}")
    urls=("${urls[0]}" "$deep" "${urls[@]:1}")
    codings=("" "" "${codings[@]:1}")
  fi

  # The API's exact bytes, Content-Type and Content-Encoding, for the ceiling.
  local i status dir=$work/$label
  mkdir -p "$dir"
  for i in "${!urls[@]}"; do
    echo "${urls[$i]}" >"$dir/$i.url"
    status=$(curl -s -o "$dir/$i.body" -D "$dir/$i.headers" -H "Accept-Encoding: ${codings[$i]}" -w '%{http_code} %{content_type}' "$base${urls[$i]}")
    [ "${status%% *}" = 200 ] || { echo "${urls[$i]} answered $status" >&2; exit 1; }
    echo "${status#* }" >"$dir/$i.type"
    if [ -n "${codings[$i]}" ]; then
      grep -qi "^content-encoding: ${codings[$i]}" "$dir/$i.headers" || { echo "${urls[$i]} was not sent in ${codings[$i]}" >&2; exit 1; }
      echo "${codings[$i]}" >"$dir/$i.encoding"
    fi
    BODY[$label,${names[$i]}]=$(stat -c %s "$dir/$i.body")
  done
  dotnet "$ceiling_dll" "$dir" --urls "http://127.0.0.1:$ceiling_port" >"$work/ceiling-$label.log" 2>&1 &
  ceiling=$!; pids+=("$ceiling")
  for _ in $(seq 300); do curl -fs "http://127.0.0.1:$ceiling_port/hello" >/dev/null 2>&1 && break; sleep 0.1; done

  # Hot, API then ceiling, endpoint by endpoint, after a first warm-up of both (JIT, GC heaps, pools).
  local name url coding
  wrk -t2 -c"$connections" -d"$((3 * warmup))s" "$base${urls[0]}" >/dev/null
  wrk -t2 -c"$connections" -d"$((3 * warmup))s" "http://127.0.0.1:$ceiling_port${urls[0]}" >/dev/null
  for i in "${!urls[@]}"; do
    name=${names[$i]} url=${urls[$i]} coding=${codings[$i]}
    if [ "${BODY[$label,$name]}" -gt "$large_entry" ]; then
      measure "$label,$name,hot" "$cold_connections" "$stream_seconds" 0 "$base$url"
      measure "$label,$name,ceiling" "$cold_connections" "$stream_seconds" 0 "http://127.0.0.1:$ceiling_port$url"
      settle "$label,$name,hot"; settle "$label,$name,ceiling"
    else
      pair "$label,$name" "$base$url" "http://127.0.0.1:$ceiling_port$url" ${coding:+-H "Accept-Encoding: $coding"}
    fi
  done
  local etag
  etag=$(curl -sI "$base/v1/statistics?limit=100" | awk -F': ' 'tolower($1) == "etag" { print $2 }' | tr -d '\r')
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$base/v1/statistics?limit=100")" = 304 ]
  BODY[$label,304]=0
  HELLO_URL="http://127.0.0.1:$ceiling_port/hello" \
    pair "$label,304" "$base/v1/statistics?limit=100" "http://127.0.0.1:$ceiling_port/not-modified" -H "If-None-Match: $etag"
  HWM[$label,hot]=$(vm "$api" VmHWM)
  kill "$ceiling"; wait "$ceiling" 2>/dev/null || true; ceiling=

  # Cold: every answer computed from the database.
  for i in "${!urls[@]}"; do
    name=${names[$i]} url=${urls[$i]} coding=${codings[$i]}
    [ "${BODY[$label,$name]}" -gt "$large_entry" ] && continue # streamed anyway: hot is cold
    # After WARMUP seconds of the same (as the hot runs get): the figure is what computing an answer costs a
    # running server, not the JIT's first compilation of the route's code, which a single 3-s run counted in
    # (a statistic's page, whose templates nothing before it had run more than a few times: 638 and 793 µs
    # per page in two runs without a warm-up, 523 µs in the first with one, 2026-12-06).
    measure "$label,$name,cold" "$cold_connections" "$duration" "$warmup" "$base$url" -s tests/benchmark/cold.lua ${coding:+-H "Accept-Encoding: $coding"}
    settle "$label,$name,cold"
  done
  HWM[$label,all]=$(vm "$api" VmHWM)
  HWM[$label,rss]=$(vm "$api" VmRSS)
  if [ "$label" = large ]; then
    # Mixed: 304s while four clients download the full CSV (streamed from SQLite, never kept). Does a
    # long answer hold up the quick ones? (It did, before the streamed writers gave their threads back.)
    wrk -t1 -c4 -d"$((duration + 4))s" --timeout 60s "$base/v1/statistics?format=csv" >/dev/null &
    local storm=$! out
    sleep 2
    out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "If-None-Match: $etag" "$base/v1/statistics?limit=100")
    wait "$storm" || true
    MIXED="$(echo "$out" | awk '/^Requests\/sec/ { printf "%.0f", $2 }') req/s, p50 $(to_ms "$(echo "$out" | awk '$1 == "50%" { print $2 }')") ms, p99 $(to_ms "$(echo "$out" | awk '$1 == "99%" { print $2 }')") ms"
    log "  304 while 4 clients download the full CSV: $MIXED"
  fi
  if grep -Eq '"LogLevel":"(Error|Critical)"|"status":5[0-9][0-9],' "$work/api-$label.log"; then
    log "the API logged errors:"; grep -E '"LogLevel":"(Error|Critical)"|"status":5[0-9][0-9],' "$work/api-$label.log" | head -5 >&2; fi
  kill "$api"; wait "$api" 2>/dev/null || true
}

bench real "$real_db"
bench large "$large_db"
log "query plans"
python3 tests/benchmark/query-plans.py "$real_db" "$large_db" >"$work/plans.txt"

# ---------------------------------------------------------------------------------------------
field() { local v=${R[$1]:-}; [ -n "$v" ] && echo "$v" | awk -v n="$2" '{ print $n }' || echo "-"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
# API / ceiling: the median over rounds of (API run / the ceiling run right after it), so a drift in
# the machine's speed between rounds (other virtual machines on the host) cancels out.
pair_ratio() { # <label,endpoint> [the bare app's run: ceiling (default) or hello]
  local api=${RUNS[$1,hot]:-} ceiling=${RUNS[$1,${2:-ceiling}]:-}
  [ -n "$api" ] && [ -n "$ceiling" ] || { echo "-"; return; }
  paste -d' ' <(printf '%s' "$api" | awk '{ print $1 }') <(printf '%s' "$ceiling" | awk '{ print $1 }') \
    | awk '$2 > 0 { print $1 / $2 }' | sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# The median over a key's rounds of one field (the server's CPU time per request: field 7), to one
# decimal unless a printf format is given.
median_field() {
  printf '%s' "${RUNS[$1]:-}" | awk -v n="$2" '$n != "-" { print $n }' | sort -n \
    | awk -v f="${3:-%.1f}" '{ v[NR] = $1 } END { if (NR == 0) print "-"; else printf f, (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# A latency (field 2: p50, 3: p99) as the median over a key's rounds: one round caught in a slow
# moment of the machine moves it less than the run of median requests/second would.
lat() { median_field "$1" "$2" %.2f; }
size() { awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.1f MB", b / 1048576; else if (b >= 1024) printf "%.0f kB", b / 1024; else printf "%d B", b }'; }
mark() { local v=${R[$1]:-}; [ -z "$v" ] && return; echo "$v" | awk -v m="$max_other" '{ s = ""; if ($5 > 0) s = s " (" $5 " errors)"; if ($6 > m) s = s " (other load " $6 "%)"; printf "%s", s }'; }

table() {
  local label=$1 name versus
  echo "| endpoint | body | API req/s | p50 ms | p99 ms | ceiling req/s | ceiling p99 ms | API / ceiling | CPU µs/request, API / ceiling | cold req/s | cold p50 ms | cold p99 ms |$([ "$label" = large ] && echo " p99 vs real (hot / cold) |")"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |$([ "$label" = large ] && echo " ---: |")"
  for name in page100 page100-br page1000 filtered by-id stat-page search geojson csv 304; do
    [ -n "${R[$label,$name,hot]:-}" ] || continue
    local row="| $name | $(size "${BODY[$label,$name]}") | $(field "$label,$name,hot" 1)$(mark "$label,$name,hot") | $(lat "$label,$name,hot" 2) | $(lat "$label,$name,hot" 3) | $(field "$label,$name,ceiling" 1)$(mark "$label,$name,ceiling") | $(lat "$label,$name,ceiling" 3) | $(pair_ratio "$label,$name") | $(median_field "$label,$name,hot" 7) / $(median_field "$label,$name,ceiling" 7)"
    if [ -n "${R[$label,$name,cold]:-}" ]; then
      row+=" | $(field "$label,$name,cold" 1)$(mark "$label,$name,cold") | $(lat "$label,$name,cold" 2) | $(lat "$label,$name,cold" 3)"
    elif [ "$name" = 304 ]; then row+=" | - | - | -"
    else row+=" | (streamed: = hot) | | "; fi
    if [ "$label" = large ]; then
      local base=$name; [ "$name" = page1000 ] && base=page100
      local cold_ratio=-
      if [ -n "${R[large,$name,cold]:-}" ]; then cold_ratio=$(ratio "$(lat "large,$name,cold" 3)" "$(lat "real,$base,cold" 3)"); fi
      row+=" | $(ratio "$(lat "large,$name,hot" 3)" "$(lat "real,$base,hot" 3)") / $cold_ratio"
    fi
    echo "$row |"
  done
}

verdict() { awk -v ok="$1" 'BEGIN { print (ok ? "met" : "**not met**") }'; }
targets() {
  local page304 pr hr worst_p99="" worst_name="" name p99 growth="" memory
  pr=$(pair_ratio real,page100)
  hr=$(pair_ratio real,304)
  for name in page100 page100-br filtered by-id stat-page search geojson csv 304; do
    p99=$(lat "real,$name,hot" 3)
    if [ -z "$worst_p99" ] || awk -v a="$p99" -v b="$worst_p99" 'BEGIN { exit !(a > b) }'; then worst_p99=$p99; worst_name=$name; fi
  done
  echo "| target (issue #5) | measured | |"
  echo "| --- | --- | --- |"
  echo "| page of 100 >= 0.8 of the same-bytes ceiling | $pr (real), $(pair_ratio large,page100) (${factor}x) | $(verdict "$(awk -v r="$pr" 'BEGIN { print (r >= 0.8) }')") |"
  local hello
  hello=$(pair_ratio real,304 hello)
  echo "| 304 >= 0.85 of a bare hello-world | $hello (real), $(pair_ratio large,304 hello) (${factor}x); hello-world $(field real,304,hello 1) req/s, $(median_field real,304,hello 7) µs of server CPU per request | $(verdict "$(awk -v r="$hello" 'BEGIN { print (r >= 0.85) }')") |"
  echo "| (stricter) 304 >= 0.85 of a bare 304 | $hr (real), $(pair_ratio large,304) (${factor}x); server CPU per 304: $(median_field real,304,hot 7) µs, the bare app's $(median_field real,304,ceiling 7) µs | $(verdict "$(awk -v r="$hr" 'BEGIN { print (r >= 0.85) }')") |"
  local over=""
  for name in page100 page100-br filtered by-id stat-page search geojson csv 304; do
    if awk -v a="$(lat "real,$name,hot" 3)" 'BEGIN { exit !(a >= 5) }'; then over+=" $name $(lat "real,$name,hot" 3) ms (the bare app, same bytes: $(lat "real,$name,ceiling" 3));"; fi
  done
  echo "| p99 < 5 ms at $connections connections (real database, hot) | worst: $worst_name $worst_p99 ms${over:+; at or over 5 ms:$over} | $(verdict "$([ -z "$over" ] && echo 1 || echo 0)") |"
  # Issue 23: a page costs no more than twice the JSON of the same statistic (server CPU per request).
  local page_hot page_cold
  page_hot=$(ratio "$(median_field real,stat-page,hot 7)" "$(median_field real,by-id,hot 7)")
  page_cold=$(ratio "$(median_field real,stat-page,cold 7)" "$(median_field real,by-id,cold 7)")
  echo "| a statistic's page <= 2x its JSON (server CPU per request) | hot (kept) $page_hot: $(median_field real,stat-page,hot 7) vs $(median_field real,by-id,hot 7) µs; cold (rendered) $page_cold: $(median_field real,stat-page,cold 7) vs $(median_field real,by-id,cold 7) µs | $(verdict "$(awk -v a="$page_hot" -v b="$page_cold" 'BEGIN { print (a <= 2 && b <= 2) }')") |"
  local m1=${HWM[real,all]} m2=${HWM[large,all]}
  echo "| peak memory < 150 MB | real: ${HWM[real,hot]} MB hot, $m1 MB after the cold runs; ${factor}x: ${HWM[large,hot]} MB hot, $m2 MB after the cold runs | $(verdict "$(( m1 < 150 && m2 < 150 ))") |"
  local hot_over="" cold_over=""
  for name in page100 page100-br page1000 filtered by-id stat-page search geojson csv 304; do
    local base=$name; [ "$name" = page1000 ] && base=page100
    [ -n "${R[large,$name,hot]:-}" ] || continue
    if awk -v a="$(lat "large,$name,hot" 3)" -v b="$(lat "real,$base,hot" 3)" 'BEGIN { exit !(a > 2 * b) }'; then
      hot_over+=" $name $(ratio "$(lat "large,$name,hot" 3)" "$(lat "real,$base,hot" 3)")x;"
    fi
    if [ -n "${R[large,$name,cold]:-}" ] && [ -n "${R[real,$base,cold]:-}" ] &&
       awk -v a="$(lat "large,$name,cold" 3)" -v b="$(lat "real,$base,cold" 3)" 'BEGIN { exit !(a > 2 * b) }'; then
      cold_over+=" $name $(ratio "$(lat "large,$name,cold" 3)" "$(lat "real,$base,cold" 3)")x;"
    fi
  done
  echo "| ${factor}x database: no p99 above twice the real one | over twice, hot:${hot_over:- none}; cold:${cold_over:- none} | $(verdict "$([ -z "$hot_over$cold_over" ] && echo 1 || echo 0)") |"
  echo "| page 1000 by cursor costs about page 1 (${factor}x) | p99 hot $(lat large,page1000,hot 3) vs $(lat large,page100,hot 3) ms; cold $(lat large,page1000,cold 3) vs $(lat large,page100,cold 3) ms | $(verdict "$(awk -v a="$(lat large,page1000,cold 3)" -v b="$(lat large,page100,cold 3)" 'BEGIN { print (a <= 2 * b) }')") |"
}

{
  echo "# Benchmark results"
  echo
  echo "Command: \`bash tests/benchmark/run.sh\` (DURATION=$duration ROUNDS=$rounds WARMUP=$warmup CONNECTIONS=$connections COLD_CONNECTIONS=$cold_connections FACTOR=$factor):"
  echo "per endpoint, \`wrk -t2 -c$connections -d${duration}s --latency\` against the API then the ceiling, $rounds times, after a ${warmup} s warm-up of each; req/s is the run of median req/s, p50 and p99 the medians of the $rounds rounds' p50 and p99, and API / ceiling the median of the $rounds rounds' ratios (each API run over the ceiling run right after it)."
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); whole run $(( $(date +%s) - started )) s."
  echo "Machine: $cores cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(free -h | awk '/^Mem/ { print $2 }') RAM, $(uname -srm), .NET SDK $(dotnet --version), $(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }'); wrk runs on the same cores."
  echo
  echo "**hot**: the same URL repeatedly, answered from the API's in-memory answer cache; **ceiling**: a bare ASP.NET Core app"
  echo "serving the same body, Content-Type and Content-Encoding from memory (for the 304, a bare app answering 304 to its own ETag,"
  echo "and, the issue's yardstick, its hello-world); **page100-br**: page100 asked for with \`Accept-Encoding: br\`, as browsers and HTTP libraries ask; **cold**:"
  echo "each request under a new Host (\`cold.lua\`), so every answer is computed from SQLite. Rows marked \"other load\" ran while"
  echo "other processes used more than $max_other% of the CPU (after two retries). **CPU µs/request**: the server process's own"
  echo "CPU time (user + system, from /proc) divided by the requests answered, median of the rounds: how much work each answer costs"
  echo "the API and the bare app, whatever share of the two cores wrk happened to take."
  echo
  echo "## Targets"
  echo
  targets
  echo
  echo "## Real database (${STATS[real]} statistics)"
  echo
  table real
  echo
  echo "API peak memory (VmHWM): ${HWM[real,hot]} MB after the hot runs, ${HWM[real,all]} MB after the cold runs (the peak: the first computed answers; a URL asked for once is sent, not kept)."
  echo
  echo "## ${factor}x database (${STATS[large]} statistics, \`make-large-db.py\`)"
  echo
  table large
  echo
  echo "API peak memory (VmHWM): ${HWM[large,hot]} MB after the hot runs, ${HWM[large,all]} MB after the cold runs."
  echo "The full CSV (${BODY[large,csv]:+$(size "${BODY[large,csv]}")}) is too large to keep, so it is streamed on every request and measured at $cold_connections connections for $stream_seconds s."
  echo "Mixed load: 304s at $connections connections while 4 clients download that full CSV: ${MIXED:-not measured} (alone: $(field large,304,hot 1) req/s, p99 $(lat large,304,hot 3) ms)."
  echo
  echo "## Query plans (EXPLAIN QUERY PLAN, the API's own SQL) and query times, real vs ${factor}x"
  echo
  echo '```'
  cat "$work/plans.txt"
  echo '```'
} >"$results_file"
cat "$results_file"
log "done: $results_file"
