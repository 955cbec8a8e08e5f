#!/usr/bin/env bash
# OpenGovernanceApi for many users, on one machine and on loopback: Redis (one rate-limit budget per
# client, shared), REPLICAS copies of the Release API, and nginx in front (shared cache, retry on another
# replica). Plain processes with pid files in the run folder: no containers, no service manager.
#
#   bash deploy/cluster.sh up        installs nginx and redis-server if missing, builds the API (Release),
#                                    starts everything, prints the front URL last
#   bash deploy/cluster.sh status    one line each: replica-N pid PID port PORT, then redis and nginx
#   bash deploy/cluster.sh down      stops them all (replicas with SIGTERM: they finish what they serve)
# For rolling restarts and tests, one piece at a time (ports stay those `up` chose):
#   bash deploy/cluster.sh stop-replica N [SIGNAL]   (TERM by default; KILL to play a crash)
#   bash deploy/cluster.sh start-replica N
#   bash deploy/cluster.sh stop-redis | start-redis
#
# Settings, from the environment of `up` (remembered in $RUN/cluster.env for the other commands):
#   REPLICAS (2), RUN (/tmp/ogov-cluster), FRONT_PORT (first free from 8380), REPLICA_PORT (first free
#   ports from 5480), REDIS_PORT (first free from 6380), PERMITS (RateLimit__PermitsPerMinute, the
#   API's default when unset), LOG_SAMPLE (Logging__Requests__SampleRate; errors are always logged),
#   MAX_AGE (Caching__MaxAgeSeconds), DRAIN (Shutdown__DrainSeconds, 2: on SIGTERM a replica says
#   Connection: close on every answer for that long before it stops listening, so nginx lets go of its
#   pooled connections), NO_BUILD=1 (use the Release build as it is).
set -euo pipefail
DEPLOY=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$DEPLOY/.." && pwd)
RUN=${RUN:-/tmp/ogov-cluster}
DLL=$ROOT/src/OpenGovernanceApi/bin/Release/net10.0/OpenGovernanceApi.dll
ENV_FILE=$RUN/cluster.env

say() { echo "cluster: $*" >&2; }
die() { say "$*"; exit 1; }

# --- helpers ---------------------------------------------------------------------------------------

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Sets $port to the first port from $1 up that nothing listens on and that this run has not taken already.
taken=" "
free_port() {
  port=$1
  while listening "$port" || [[ $taken == *" $port "* ]]; do port=$((port + 1)); done
  taken+="$port "
}
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
pid_of() { if alive "$1"; then cat "$1"; else echo -; fi; }

# Sends a signal to the process in a pid file and waits (up to $3 s) for it to go; then KILL.
stop_pid() {
  local file=$1 signal=$2 wait=${3:-30} pid
  if ! alive "$file"; then rm -f "$file"; return 0; fi
  pid=$(cat "$file")
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq $((wait * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then say "pid $pid still running after ${wait}s: KILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$file"
}

load_env() { [ -f "$ENV_FILE" ] || die "not up (no $ENV_FILE)"; . "$ENV_FILE"; }

# What a fresh Debian machine lacks. Services are not started by the packages' own scripts (we start
# our own, on our ports): a policy-rc.d that says no is put in place for the install if there is none.
install_missing() {
  local missing=()
  command -v nginx >/dev/null || missing+=(nginx)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v curl >/dev/null || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  local policy=/usr/sbin/policy-rc.d ours=
  if [ ! -e $policy ]; then printf '#!/bin/sh\nexit 101\n' > $policy; chmod +x $policy; ours=1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  local status=$?
  [ -n "$ours" ] && rm -f $policy
  return $status
}

# --- the pieces ------------------------------------------------------------------------------------

start_redis() {
  load_env
  alive "$RUN/redis.pid" && return 0
  redis-server "$DEPLOY/redis.conf" --port "$REDIS_PORT" --daemonize yes \
    --pidfile "$RUN/redis.pid" --logfile "$RUN/redis.log" --dir "$RUN"
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && return 0; sleep 0.1; done
  die "redis did not start (see $RUN/redis.log)"
}

stop_redis() { load_env; stop_pid "$RUN/redis.pid" TERM 10; }

# Ready when /readyz says 200 (warmed); on a build without /readyz (404), when /healthz says 200. /healthz
# first: it is exempt from the rate limit, so waiting costs the budget of 127.0.0.1 nothing.
wait_ready() {
  local port=$1 pidfile=$2 code
  for _ in $(seq 300); do
    alive "$pidfile" || return 1
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200 ]; then
      code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")
      [ "$code" = 200 ] || [ "$code" = 404 ] && return 0
    fi
    sleep 0.1
  done
  return 1
}

start_replica() {
  load_env
  local n=$1 port pidfile=$RUN/replica-$1.pid
  port=$(eval echo "\${REPLICA_PORT_$n:-}")
  [ -n "$port" ] || die "no replica $n (REPLICAS=$REPLICAS)"
  alive "$pidfile" && return 0
  # setsid: the replica outlives this script and a Ctrl-C in its terminal. The trusted proxy is nginx
  # (it connects from 127.0.0.1); links are written for the front URL, whichever replica answers.
  (
    cd "$ROOT"
    export Urls="http://127.0.0.1:$port"
    export RateLimit__Redis="127.0.0.1:$REDIS_PORT"
    export ForwardedHeaders__KnownProxies__0=127.0.0.1
    export PublicBaseUrl="$FRONT_URL"
    [ -n "${PERMITS:-}" ] && export RateLimit__PermitsPerMinute="$PERMITS"
    [ -n "${LOG_SAMPLE:-}" ] && export Logging__Requests__SampleRate="$LOG_SAMPLE"
    [ -n "${MAX_AGE:-}" ] && export Caching__MaxAgeSeconds="$MAX_AGE"
    export Shutdown__DrainSeconds="${DRAIN:-2}"
    exec setsid dotnet "$DLL" >> "$RUN/replica-$n.log" 2>&1 < /dev/null
  ) &
  echo $! > "$pidfile"
  wait_ready "$port" "$pidfile" || die "replica-$n did not become ready on port $port (see $RUN/replica-$n.log)"
}

stop_replica() { load_env; stop_pid "$RUN/replica-$1.pid" "${2:-TERM}" 35; }

start_nginx() {
  load_env
  alive "$RUN/nginx.pid" && return 0
  local upstreams="" user="" n
  for n in $(seq "$REPLICAS"); do
    upstreams+="server 127.0.0.1:$(eval echo "\$REPLICA_PORT_$n") max_fails=1 fail_timeout=2s; "
  done
  mkdir -p "$RUN/nginx-cache" "$RUN/nginx-tmp"
  # As root, the workers run as Debian's www-data and own what they write; the master keeps the logs.
  if [ "$(id -u)" = 0 ]; then user="user www-data;"; chown -R www-data "$RUN/nginx-cache" "$RUN/nginx-tmp"; fi
  sed -e "s|@RUN@|$RUN|g" -e "s|@LISTEN@|127.0.0.1:$FRONT_PORT|g" -e "s|@UPSTREAMS@|$upstreams|" -e "s|@USER@|$user|" \
    "$DEPLOY/nginx.conf" > "$RUN/nginx.conf"
  nginx -q -t -c "$RUN/nginx.conf" -p "$RUN" -e "$RUN/nginx-error.log" || die "nginx rejected $RUN/nginx.conf"
  nginx -c "$RUN/nginx.conf" -p "$RUN" -e "$RUN/nginx-error.log"
  for _ in $(seq 50); do alive "$RUN/nginx.pid" && listening "$FRONT_PORT" && return 0; sleep 0.1; done
  die "nginx did not start (see $RUN/nginx-error.log)"
}

# QUIT: nginx finishes the requests it has, then stops.
stop_nginx() { load_env; stop_pid "$RUN/nginx.pid" QUIT 10; }

# --- commands --------------------------------------------------------------------------------------

up() {
  if [ -f "$ENV_FILE" ]; then
    . "$ENV_FILE"
    for f in "$RUN"/*.pid; do alive "$f" && die "already up ($f); run: bash deploy/cluster.sh down"; done
  fi
  install_missing || die "could not install nginx/redis-server"
  command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH"
  if [ -z "${NO_BUILD:-}" ]; then
    say "building the API (Release)"
    dotnet build -c Release "$ROOT/src/OpenGovernanceApi" -v q -nologo >/dev/null || die "build failed"
  fi
  [ -f "$DLL" ] || die "no $DLL"
  rm -rf "$RUN/nginx-cache"   # a cache of another build's answers is not this one's
  mkdir -p "$RUN"
  rm -f "$RUN"/replica-*.log "$RUN"/redis.log "$RUN"/nginx-*.log   # logs of this run only (kept after down)
  local replicas=${REPLICAS:-2} n port
  {
    echo "REPLICAS=$replicas"
    free_port "${FRONT_PORT:-8380}"
    echo "FRONT_PORT=$port"
    echo "FRONT_URL=http://127.0.0.1:$port"
    free_port "${REDIS_PORT:-6380}"
    echo "REDIS_PORT=$port"
    port=${REPLICA_PORT:-5480}
    for n in $(seq "$replicas"); do free_port "$port"; echo "REPLICA_PORT_$n=$port"; done
    echo "PERMITS=${PERMITS:-}"
    echo "LOG_SAMPLE=${LOG_SAMPLE:-}"
    echo "MAX_AGE=${MAX_AGE:-}"
    echo "DRAIN=${DRAIN:-2}"
  } > "$ENV_FILE"
  start_redis
  local starting=() failed=0 job
  for n in $(seq "$replicas"); do start_replica "$n" & starting+=($!); done   # they warm up side by side
  for job in "${starting[@]}"; do wait "$job" || failed=1; done
  [ $failed = 0 ] || { down; die "a replica did not start"; }
  start_nginx
  load_env
  curl -fs "$FRONT_URL/healthz" >/dev/null || { down; die "the front URL does not answer"; }
  status >&2
  echo "$FRONT_URL"
}

status() {
  load_env
  local n ok=0
  for n in $(seq "$REPLICAS"); do
    echo "replica-$n pid $(pid_of "$RUN/replica-$n.pid") port $(eval echo "\$REPLICA_PORT_$n")"
    alive "$RUN/replica-$n.pid" || ok=3
  done
  echo "redis pid $(pid_of "$RUN/redis.pid") port $REDIS_PORT"
  echo "nginx pid $(pid_of "$RUN/nginx.pid") port $FRONT_PORT url $FRONT_URL"
  alive "$RUN/redis.pid" && alive "$RUN/nginx.pid" || ok=3
  return $ok
}

down() {
  [ -f "$ENV_FILE" ] || { say "not up"; return 0; }
  load_env
  stop_nginx
  local n
  for n in $(seq "$REPLICAS"); do stop_replica "$n" & done
  wait
  stop_redis
  rm -f "$ENV_FILE"
  say "down (logs kept in $RUN)"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  start-replica) start_replica "${2:?replica number}" ;;
  stop-replica) stop_replica "${2:?replica number}" "${3:-TERM}" ;;
  start-redis) start_redis ;;
  stop-redis) stop_redis ;;
  *) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
