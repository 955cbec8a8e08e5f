#!/usr/bin/env bash
# A restarted replica's first seconds (issue 25): the /readyz warm-up against ReadyToRun. Starts the
# Release API as built (JIT) and as published ReadyToRun (crossgen2 for the app's own assemblies; the
# framework's are ReadyToRun already), and sends it the load run's mix (tests/load/mix.lua) for SECONDS
# one-second wrk runs, starting either as soon as /healthz answers (traffic before the warm-up is done:
# what a proxy without a readiness check does) or once /readyz says ready (after the warm-up). Prints,
# per way, the medians over ROUNDS starts: time to /healthz and to /readyz, requests/s in each of the
# first seconds, and resident memory once ready.
#
#   bash tests/benchmark/warmup.sh
#
# Environment: ROUNDS=3 SECONDS_=6 CONNECTIONS=32 PORT=5595.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${ROUNDS:-3}
seconds=${SECONDS_:-6}
connections=${CONNECTIONS:-32}
port=${PORT:-5595}
work=$(mktemp -d /tmp/ogov-warmup.XXXXXX)
api=
cleanup() { [ -n "$api" ] && kill "$api" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
echo "building Release and publishing ReadyToRun" >&2
dotnet build -c Release src/OpenGovernanceApi -nologo -v q >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dotnet publish src/OpenGovernanceApi -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$work/r2r" -nologo -v q >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
declare -A DLL=([jit]=src/OpenGovernanceApi/bin/Release/net10.0/OpenGovernanceApi.dll [r2r]=$work/r2r/OpenGovernanceApi.dll)

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
declare -A M # M[way,metric] = one value per line, one line per round
for round in $(seq "$rounds"); do
  for build in jit r2r; do
    for gate in healthz readyz; do
      way=$build,$gate
      start=$(now_ms)
      dotnet "${DLL[$build]}" --urls "http://127.0.0.1:$port" --RateLimit:PermitsPerMinute=1000000000 --Logging:Requests:SampleRate=0 >"$work/api.log" 2>&1 &
      api=$!
      until curl -fs -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.02; done
      M[$way,healthz]+="$(( $(now_ms) - start ))"$'\n'
      if [ "$gate" = readyz ]; then
        until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.02; done
        M[$way,readyz]+="$(( $(now_ms) - start ))"$'\n'
        M[$way,rss]+="$(awk '/VmRSS/ { print int($2 / 1024) }' /proc/$api/status)"$'\n'
      fi
      for s in $(seq "$seconds"); do
        rps=$(wrk -t2 -c"$connections" -d1s --timeout 5s -s tests/load/mix.lua "http://127.0.0.1:$port" | awk '/^Requests\/sec/ { printf "%d", $2 }')
        M[$way,s$s]+="$rps"$'\n'
      done
      kill "$api"; wait "$api" 2>/dev/null || true; api=
      echo "round $round $way: healthz $(echo "${M[$way,healthz]}" | tail -n 2 | head -n 1) ms, first second $(echo "${M[$way,s1]}" | tail -n 2 | head -n 1) req/s" >&2
    done
  done
done

header="| build | traffic from | /healthz ms | /readyz ms | RSS at ready MB |"
rule="| --- | --- | ---: | ---: | ---: |"
for s in $(seq "$seconds"); do header+=" s$s req/s |"; rule+=" ---: |"; done
echo "$header"; echo "$rule"
for build in jit r2r; do
  for gate in healthz readyz; do
    way=$build,$gate
    row="| $([ "$build" = jit ] && echo "JIT (dotnet build)" || echo "ReadyToRun (dotnet publish)") | /$gate | $(printf '%s' "${M[$way,healthz]}" | median) | $(printf '%s' "${M[$way,readyz]:-}" | median) | $(printf '%s' "${M[$way,rss]:-}" | median) |"
    for s in $(seq "$seconds"); do row+=" $(printf '%s' "${M[$way,s$s]}" | median) |"; done
    echo "$row"
  done
done
echo
echo "$(date -u +%Y-%m-%d), $(git rev-parse --short HEAD), $(nproc) cores, wrk -t2 -c$connections with tests/load/mix.lua, 1-second runs from the moment said, medians of $rounds starts."
