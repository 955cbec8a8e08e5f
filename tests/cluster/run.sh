#!/usr/bin/env bash
# Cluster tests (issue #25): deploy/cluster.sh brings up Redis, 2 replicas and nginx on loopback, and the
# checks below run against it, as clients on distinct loopback addresses (curl --interface 127.0.0.N:
# nginx sees each as its own $remote_addr and forwards it in X-Forwarded-For).
#   1. cache: codings kept apart, per-client headers never served from a cached copy, revalidation, and a
#      cached answer serving a CORS request (that one waits for CORS on every answer, see below)
#   2. one budget in Redis: the first 429 after PERMITS requests through both replicas, not twice that;
#      another client has its own; a forged X-Forwarded-For does not change the bucket
#   3. Redis stopped: no error, the warning logged, per-replica limits; Redis back: one budget again
#   4. the same URL from both replicas: the same bytes and ETag, plain, gzip and br (waits for PublicBaseUrl)
#   5. wrk through nginx while one replica is killed (KILL) and the other stopped (TERM), each started
#      again; then while Redis is stopped and started: every answer 200 or 304, no socket error
# A check whose app part is not in the build (CORS on every answer, PublicBaseUrl; detected on a replica
# directly) is SKIPPED with the reason, not failed. Ends with "N passed, M failed, K skipped"; exits non-zero on a failure.
#   bash tests/cluster/run.sh          (about 2 minutes after the build; installs wrk, nginx, redis if missing)
set -uo pipefail # not -e: every check runs and is counted
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export RUN=${RUN:-/tmp/ogov-cluster-test}
CLUSTER="bash $ROOT/deploy/cluster.sh"
PERMITS=50
passed=0 failed=0 skipped=0
failures=()

pass() { passed=$((passed + 1)); echo "PASS  $1"; }
fail() { failed=$((failed + 1)); failures+=("$1"); echo "FAIL  $1${2:+: $2}"; }
skip() { skipped=$((skipped + 1)); echo "SKIP  $1 ($2)"; }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
summary() {
  echo
  [ ${#failures[@]} -gt 0 ] && { echo "failed:"; printf '  - %s\n' "${failures[@]}"; }
  echo "$passed passed, $failed failed, $skipped skipped"
}
finish() { $CLUSTER down >/dev/null 2>&1; summary; [ "$failed" = 0 ]; exit $?; }
die() { fail "$1"; [ -n "${2:-}" ] && tail -n 30 "$2"; finish; }
trap '$CLUSTER down >/dev/null 2>&1' EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } || die "install wrk"
$CLUSTER down >/dev/null 2>&1   # whatever an interrupted run left

# --- helpers ---------------------------------------------------------------------------------------

# get CLIENT URL [curl options...]: writes the headers to $H (lower-case names) and the body to $B;
# prints the status.
H=$(mktemp) B=$(mktemp)
get() {
  local client=$1 url=$2; shift 2
  curl -s --interface "$client" -D "$H" -o "$B" -w '%{http_code}' "$@" "$url" || echo 000
  sed -i 's/\r$//; s/^\([^:]*\):/\L\1:/' "$H"
}
header() { awk -v name="$1:" 'tolower($1) == name { sub(/^[^:]*: */, ""); print }' "$H"; }

# through CLIENT N: N requests past the cache; prints one line per answer: status and RateLimit value.
through() {
  local client=$1 n=$2 i; shift 2
  for i in $(seq "$n"); do echo "$(get "$client" "$FRONT/v1/sources" -H 'Cache-Control: no-cache' "$@") $(header ratelimit)"; done
}
first_429() { awk '$1 == 429 { print NR; exit }'; }
count() { awk -v s="$1" '$1 == s' | wc -l; }
export -f first_429 count   # used by checks run with bash -c
# An error logged or a 5xx answered by a replica (but /readyz's 503 while warming or stopping: that is its job).
no_server_errors() {
  local found
  found=$(cat "$RUN"/replica-*.log | grep -E '"LogLevel":"(Error|Critical)"|"status":5[0-9][0-9],' | grep -v '"path":"/readyz"')
  [ -z "$found" ] || { head -n 3 <<< "$found" | cut -c1-300 | sed 's/^/  /'; return 1; }
}

# ============================== phase 1: PERMITS=50 a minute, answers fresh for 3 s ==============================
FRONT=$(PERMITS=$PERMITS LOG_SAMPLE=0 MAX_AGE=3 $CLUSTER up 2> "$RUN.up.log" | tail -n 1) || die "cluster up" "$RUN.up.log"
. "$RUN/cluster.env"
R1=http://127.0.0.1:$REPLICA_PORT_1 R2=http://127.0.0.1:$REPLICA_PORT_2
echo "front $FRONT; replicas $R1 $R2; redis port $REDIS_PORT"

st=$($CLUSTER status)
check "status: one line per replica (replica-N pid PID port PORT), then redis and nginx" \
  bash -c '[ "$(grep -cE "^replica-[12] pid [0-9]+ port [0-9]+$" <<< "$1")" = 2 ] && grep -qE "^redis pid [0-9]+ port [0-9]+" <<< "$1" && grep -qE "^nginx pid [0-9]+ port [0-9]+" <<< "$1"' _ "$st"

# --- 1. the cache ---
codings_apart() {
  local round coding url="$FRONT/v1/statistics?limit=3" etags=""
  for round in 1 2; do
    for coding in identity gzip br; do
      [ "$(get 127.0.0.9 "$url" -H "Accept-Encoding: $coding")" = 200 ] || return 1
      local encoding; encoding=$(header content-encoding)
      [ "${encoding:-identity}" = "$coding" ] || { echo "  asked for $coding, got ${encoding:-identity}"; return 1; }
      [ "$round" = 1 ] && etags+="$(header etag) "
      [ "$round" = 2 ] && { [ "$(header x-cache)" = HIT ] || { echo "  round 2 $coding: $(header x-cache)"; return 1; }; }
    done
  done
  [ "$(tr ' ' '\n' <<< "$etags" | sort -u | grep -c .)" = 3 ]   # three representations, three ETags
}
check "cache: identity, gzip and br of one URL kept apart (Vary), each served from the cache with its own ETag" codings_apart

cached_copy_headers() {
  local url="$FRONT/v1/indicators?limit=7" first
  [ "$(get 127.0.0.9 "$url")" = 200 ] && [ "$(header x-cache)" = MISS ] && [ -n "$(header ratelimit)" ] || return 1
  first=$(header x-request-id)
  [ "$(get 127.0.0.10 "$url")" = 200 ] && [ "$(header x-cache)" = HIT ] || return 1
  [ -z "$(header ratelimit)" ] || { echo "  a cached copy carried RateLimit: $(header ratelimit)"; return 1; }
  [ -n "$(header ratelimit-policy)" ] && [ -n "$(header x-request-id)" ] && [ "$(header x-request-id)" != "$first" ]
}
check "cache: a cached copy carries no client's RateLimit, and its own X-Request-Id" cached_copy_headers

request_id_end_to_end() {
  [ "$(get 127.0.0.9 "$FRONT/v1/sources/nope" -H 'X-Request-Id: cluster-test-7')" = 404 ] || return 1
  [ "$(header x-request-id)" = cluster-test-7 ] && grep -q '"requestId":"cluster-test-7"' "$B"
}
check "an id given in X-Request-Id reaches the replica (its problem body) and comes back" request_id_end_to_end

revalidated() {
  local url="$FRONT/v1/topics" etag
  get 127.0.0.9 "$url" >/dev/null; etag=$(header etag)
  sleep 4   # past max-age (MAX_AGE=3): nginx asks a replica with If-None-Match, which answers 304
  [ "$(get 127.0.0.9 "$url")" = 200 ] && [ "$(header x-cache)" = REVALIDATED ] && [ "$(header etag)" = "$etag" ] ||
    { echo "  after expiry: $(header x-cache)"; return 1; }
}
check "cache: an expired copy is revalidated with If-None-Match (REVALIDATED)" revalidated

# Straight to a replica, as a client of its own (127.0.0.11): its address is not nginx's, so it is the client.
get 127.0.0.11 "$R1/v1/plans" >/dev/null
if [ -z "$(header access-control-allow-origin)" ]; then
  skip "cache: a copy cached from a request without Origin serves a CORS request" \
    "waits for CORS on every answer: a replica's answer without Origin has no Access-Control-Allow-Origin"
else
  cors_through_cache() {
    local url="$FRONT/v1/plans?limit=2"
    [ "$(get 127.0.0.9 "$url")" = 200 ] || return 1
    [ "$(get 127.0.0.10 "$url" -H 'Origin: https://maps.example.org')" = 200 ] && [ "$(header x-cache)" = HIT ] || return 1
    [ "$(header access-control-allow-origin)" = "*" ] || { echo "  Access-Control-Allow-Origin: '$(header access-control-allow-origin)'"; return 1; }
  }
  check "cache: a copy cached from a request without Origin serves a CORS request (Access-Control-Allow-Origin: *)" cors_through_cache
fi

# --- 2. one budget in Redis, per client ---
answers=$(through 127.0.0.2 $((PERMITS + 5)))
shared_budget() {
  local at; at=$(first_429 <<< "$answers")
  [ "$at" = $((PERMITS + 1)) ] || { echo "  first 429 at request ${at:-none} (budget $PERMITS)"; return 1; }
  # What is left counts down across both replicas: 49, 48, ..., 0.
  [ "$(head -n "$PERMITS" <<< "$answers" | sed 's/.*;r=//')" = "$(seq $((PERMITS - 1)) -1 0)" ] || { echo "  RateLimit values not one countdown"; return 1; }
  # Both replicas served this client (nginx's log: the upstream of each of its requests).
  sleep 1.2   # nginx's access log is flushed every second
  [ "$(grep '^127.0.0.2 ' "$RUN/nginx-access.log" | grep -oE "upstream=127.0.0.1:[0-9]+" | sort -u | wc -l)" = 2 ] ||
    { echo "  not both replicas served 127.0.0.2"; return 1; }
}
check "rate limit: one client through both replicas gets its first 429 after $PERMITS requests, not $((2 * PERMITS))" shared_budget

get 127.0.0.2 "$FRONT/v1/sources" -H 'Cache-Control: no-cache' >/dev/null
check "rate limit: the 429 is a problem with Retry-After, RateLimit-Policy and RateLimit (r=0;t=)" bash -c \
  '[ "$1" = application/problem+json ] && [ "$2" -ge 1 ] && [ "$2" -le 60 ] && [[ $3 == *q=50* ]] && [[ $4 == *"r=0;t="* ]]' _ \
  "$(header content-type)" "$(header retry-after)" "$(header ratelimit-policy)" "$(header ratelimit)"

check "rate limit: another client (127.0.0.3) has its own budget" bash -c \
  '[ "$1" = "200 \"per-client\";r=$(($2 - 1))" ]' _ "$(through 127.0.0.3 1)" "$PERMITS"

forged=$(for i in $(seq $((PERMITS + 2))); do
  echo "$(get 127.0.0.4 "$FRONT/v1/sources" -H 'Cache-Control: no-cache' -H "X-Forwarded-For: 198.51.100.$i") $(header ratelimit)"
done)
check "rate limit: a client forging X-Forwarded-For (a new address each request) keeps its bucket: 429 at $((PERMITS + 1))" \
  bash -c '[ "$1" = "$2" ]' _ "$(first_429 <<< "$forged")" $((PERMITS + 1))

# --- 3. Redis stopped, then back ---
( sleep 0.5; $CLUSTER stop-redis ) &
during=$(for i in $(seq 60); do get 127.0.0.5 "$FRONT/v1/sources" -H 'Cache-Control: no-cache'; echo; sleep 0.02; done)
wait
check "Redis stopped during a run of requests: each answered 200 or 429, no 5xx, none lost" \
  bash -c '[ -z "$(grep -vE "^(200|429)$" <<< "$1")" ]' _ "$during"
sleep 0.5
check "Redis stopped: both replicas log the warning (RateLimits, Warning, Redis unusable)" \
  bash -c '[ "$(grep -l "\"LogLevel\":\"Warning\",\"Category\":\"OpenGovernanceApi.RateLimits\".*Redis unusable" "$1"/replica-*.log | wc -l)" = 2 ]' _ "$RUN"
per_replica=$(through 127.0.0.6 $((2 * PERMITS + 10)))
check "Redis stopped: each replica limits on its own ($((2 * PERMITS)) answered of $((2 * PERMITS + 10)), then 429s; no 5xx)" \
  bash -c '[ "$(count 200 <<< "$1")" = $((2 * $2)) ] && [ "$(count 429 <<< "$1")" = 10 ]' _ "$per_replica" "$PERMITS"

$CLUSTER start-redis
back=0
for _ in $(seq 60); do   # each replica says so on the first request it counts in Redis again
  get 127.0.0.8 "$FRONT/v1/sources" -H 'Cache-Control: no-cache' >/dev/null
  [ "$(grep -l "Redis answers again" "$RUN"/replica-*.log | wc -l)" = 2 ] && { back=1; break; }
  sleep 0.3
done
check "Redis back: both replicas log that the budget is shared again" test $back = 1
check "Redis back: one budget again (a new client's first 429 at $((PERMITS + 1)))" \
  bash -c '[ "$(first_429 <<< "$1")" = $(($2 + 1)) ]' _ "$(through 127.0.0.7 $((PERMITS + 2)))" "$PERMITS"

# --- 4. the same URL from both replicas ---
get 127.0.0.11 "$R1/v1" >/dev/null
if ! grep -q "\"$FRONT/v1" "$B"; then
  skip "the same URL from both replicas: the same bytes and ETag (identity, gzip, br)" \
    "waits for PublicBaseUrl: a replica's links do not name the front URL $FRONT"
else
  same_answers() {
    local coding url="/v1/statistics?limit=5" a b
    for coding in identity gzip br; do
      get 127.0.0.11 "$R1$url" -H "Accept-Encoding: $coding" >/dev/null; a="$(header etag) $(sha256sum < "$B")"
      get 127.0.0.11 "$R2$url" -H "Accept-Encoding: $coding" >/dev/null; b="$(header etag) $(sha256sum < "$B")"
      [ "$a" = "$b" ] || { echo "  $coding: $a vs $b"; return 1; }
    done
  }
  check "the same URL from both replicas: the same bytes and ETag (identity, gzip, br)" same_answers
fi

check "no 5xx answered and no error logged by a replica (phase 1)" no_server_errors
$CLUSTER down 2>/dev/null
check "down: no replica, Redis or nginx left running" bash -c \
  '! ls "$1"/*.pid >/dev/null 2>&1 && ! pgrep -f "$1/nginx.conf" >/dev/null' _ "$RUN"

# ============================== phase 2: load, a budget no test reaches ==============================
FRONT=$(PERMITS=1000000000 LOG_SAMPLE=0 NO_BUILD=1 $CLUSTER up 2> "$RUN.up.log" | tail -n 1) || die "cluster up (phase 2)" "$RUN.up.log"
ETAG=$(curl -sI "$FRONT/v1/sources" | awk -F': ' 'tolower($1) == "etag" { print $2 }' | tr -d '\r')
export ETAG

# wrk_run SECONDS: wrk through nginx (16 connections), its status lines to $RUN.wrk.
wrk_run() { wrk -t2 -c16 -d"$1s" --timeout 15s -s "$ROOT/tests/cluster/statuses.lua" "$FRONT" > "$RUN.wrk" 2>&1; }
only_200_304() {
  cat "$RUN.wrk" | grep -E '^(status|socket_errors|requests)'
  grep -q '^requests [1-9]' "$RUN.wrk" && grep -q '^socket_errors 0 ' "$RUN.wrk" &&
    [ -z "$(grep '^status ' "$RUN.wrk" | grep -vE '^status (200|304) ')" ]
}

wrk_run 20 & load=$!
sleep 4
$CLUSTER stop-replica 1 KILL && $CLUSTER start-replica 1 && echo "replica-1 killed and started again"
sleep 2
$CLUSTER stop-replica 2 TERM && $CLUSTER start-replica 2 && echo "replica-2 stopped (TERM) and started again"
wait $load
check "20 s of wrk through nginx while replica-1 is killed and replica-2 stopped, each started again: only 200/304, no socket error" only_200_304

wrk_run 10 & load=$!
sleep 2; $CLUSTER stop-redis; echo "redis stopped"
sleep 4; $CLUSTER start-redis; echo "redis started"
wait $load
check "10 s of wrk while Redis is stopped and started again: only 200/304, no socket error" only_200_304
check "no 5xx answered and no error logged by a replica (phase 2)" no_server_errors

trap - EXIT
finish
