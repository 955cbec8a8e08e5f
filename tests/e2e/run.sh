#!/usr/bin/env bash
# End-to-end tests of OpenGovernanceApi against the real process, as its users meet it:
#   - Swagger UI at /docs in Debian's Chromium (playwright-core; no browser download), and in the
#     same browser a page of statistics fetched compressed and from another origin,
#   - the pages for people (pages.test.mjs): every page kind in Chinese and English at 1280 and 375 px,
#     checked by axe-core (no serious or critical violation) and photographed; with JavaScript off too;
#     Lighthouse 12.2.3 on two of them (accessibility, best practices, SEO at least 0.9),
#   - Redocly CLI's lint of openapi/v1.json (recommended rules, tests/e2e/redocly.yaml),
#   - Spectral's lint of openapi/v1.json with the OWASP API Security ruleset (tests/e2e/spectral.yaml),
#   - a TypeScript client generated from openapi/v1.json (openapi-typescript + openapi-fetch),
#     type-checked with tsc and called against the API,
#   - a C# client generated from openapi/v1.json by Kiota (pinned in .config/dotnet-tools.json), built and
#     called against the API (kiota/Program.cs),
#   - the answers of every operation checked against the document as strictly as the specification
#     reads it (Ajv, JSON Schema 2020-12: nulls, required and undocumented properties, limits; statuses,
#     media types and required headers),
#   - Prism as a validating proxy in front of the API: no answer to any operation's examples violates the document,
#   - the README's recipes (tests/e2e/recipes/*.sh), each run as written,
#   - the MCP server at /mcp through the MCP Inspector's CLI (tests/e2e/mcp.sh).
# Installs what a fresh machine lacks (Debian's chromium and a CJK font; npm packages pinned in
# package-lock.json), builds and starts the API on a free loopback port, stops it on exit.
# Artifacts (screenshots, axe.json, logs): tests/e2e/artifacts/. Ends with one line "N passed, M failed";
# exits non-zero on any failure.
#
# Usage: bash tests/e2e/run.sh
set -uo pipefail # not -e: every check runs and is counted

E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$E2E/../.." && pwd)
ART="$E2E/artifacts"
passed=0
failed=0
todo=0
failures=()
api_pid=

pass() { passed=$((passed + 1)); echo "PASS  $1"; }
fail() { failed=$((failed + 1)); failures+=("$1"); echo "FAIL  $1"; }
summary() {
  echo
  if [ ${#failures[@]} -gt 0 ]; then
    echo "failed:"
    printf '  - %s\n' "${failures[@]}"
  fi
  [ "$todo" -gt 0 ] && echo "known defects still open (node:test todo, not counted): $todo"
  echo "$passed passed, $failed failed"
}
# A step the rest cannot do without: count it, summarise, stop.
die() { fail "$1"; [ -n "${2:-}" ] && [ -f "$2" ] && tail -n 40 "$2"; summary; exit 1; }
stop_api() {
  if [ -n "$api_pid" ] && kill -0 "$api_pid" 2>/dev/null; then
    kill -TERM "$api_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$api_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$api_pid" 2>/dev/null
    wait "$api_pid" 2>/dev/null
  fi
  api_pid=
}
trap stop_api EXIT
trap 'exit 130' INT TERM

rm -rf "$ART"
mkdir -p "$ART"
started=$(date +%s)

# ---------------------------------------------------------------- what a fresh machine lacks
echo "== prerequisites"
command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH"
command -v node >/dev/null && command -v npm >/dev/null || die "Node.js and npm are not on PATH (this machine kind ships Node.js 20)"
# @redocly/cli needs Node.js >= 20.19.
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' ||
  die "Node.js $(node --version) is too old: 20.19 or later is needed"
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
# Without a CJK font the page's Chinese text is drawn as empty boxes in the screenshot.
if ! command -v fc-list >/dev/null || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then packages+=(fonts-wqy-zenhei); fi
if [ ${#packages[@]} -gt 0 ]; then
  echo "installing from Debian's packages: ${packages[*]}"
  [ "$(id -u)" = 0 ] || die "not root: cannot apt-get install ${packages[*]}"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}"; } >"$ART/apt.log" 2>&1 ||
    die "apt-get install ${packages[*]} (artifacts/apt.log)" "$ART/apt.log"
fi
/usr/bin/chromium --version 2>/dev/null | head -n 1

echo "== npm ci (tests/e2e)"
(cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error) >"$ART/npm.log" 2>&1 ||
  die "npm ci in tests/e2e (artifacts/npm.log)" "$ART/npm.log"
BIN="$E2E/node_modules/.bin"

# ---------------------------------------------------------------- the real API
echo "== dotnet build src/OpenGovernanceApi"
(cd "$ROOT" && dotnet build src/OpenGovernanceApi -nologo -v quiet) >"$ART/build.log" 2>&1 ||
  die "dotnet build src/OpenGovernanceApi (artifacts/build.log)" "$ART/build.log"

port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
BASE="http://127.0.0.1:$port"
echo "== starting the API at $BASE"
(cd "$ROOT" && exec dotnet src/OpenGovernanceApi/bin/Debug/net10.0/OpenGovernanceApi.dll \
  --urls "$BASE" --RateLimit:PermitsPerMinute=100000) >"$ART/api.log" 2>&1 &
api_pid=$!
for _ in $(seq 120); do
  kill -0 "$api_pid" 2>/dev/null || die "the API exited at start-up (artifacts/api.log)" "$ART/api.log"
  # Ours, not another process that took the port: it says where it listens.
  if grep -q "Now listening on: $BASE" "$ART/api.log" && curl -fsS --max-time 2 "$BASE/healthz" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
health=$(curl -fsS --max-time 5 "$BASE/healthz") || die "GET /healthz did not answer 200 within 60 s (artifacts/api.log)" "$ART/api.log"
echo "$health"
# Ready (warmed through the pipeline), as a proxy would wait for it, so every answer below is the served one.
for _ in $(seq 120); do curl -fsS --max-time 2 "$BASE/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS --max-time 5 "$BASE/readyz" >/dev/null || die "GET /readyz did not answer 200 within 60 s (artifacts/api.log)" "$ART/api.log"
export BASE_URL="$BASE"

# ---------------------------------------------------------------- OpenAPI lint
echo
echo "== redocly lint ../../openapi/v1.json (recommended rules; errors fail)"
(cd "$E2E" && NO_COLOR=1 "$BIN/redocly" lint --config redocly.yaml --format=stylish ../../openapi/v1.json) >"$ART/lint.txt" 2>&1
lint_status=$?
# Everything but Redocly's banner about Node.js 20's end of life.
grep -v -e '^ *[║╔╚]' -e '^\s*$' "$ART/lint.txt"
if [ "$lint_status" = 0 ]; then pass "OpenAPI lint: redocly lint openapi/v1.json, no errors"; else fail "OpenAPI lint: redocly lint openapi/v1.json (artifacts/lint.txt)"; fi

echo
echo "== spectral lint ../../openapi/v1.json (OWASP API Security Top 10 2023, spectral.yaml; errors fail)"
(cd "$E2E" && NO_COLOR=1 "$BIN/spectral" lint --ruleset spectral.yaml --fail-severity=error --format=text ../../openapi/v1.json) >"$ART/spectral.txt" 2>&1
spectral_status=$?
# One line per rule and severity (the full list is in artifacts/spectral.txt).
awk '$2 == "error" || $2 == "warning" {print "  " $2, $3}' "$ART/spectral.txt" | sort | uniq -c
echo "  $(grep -c ' error ' "$ART/spectral.txt") errors, $(grep -c ' warning ' "$ART/spectral.txt") warnings"
if [ "$spectral_status" = 0 ]; then pass "OpenAPI lint: spectral lint with the OWASP ruleset, no errors"; else grep ' error ' "$ART/spectral.txt" | head -n 20; fail "OpenAPI lint: spectral lint with the OWASP ruleset (artifacts/spectral.txt)"; fi

# ---------------------------------------------------------------- generated client: types
echo
echo "== generated client: openapi-typescript ../../openapi/v1.json, tsc --strict"
if (cd "$E2E" && "$BIN/openapi-typescript" ../../openapi/v1.json --redocly redocly.typegen.yaml -o artifacts/generated/v1.d.ts &&
  "$BIN/tsc" -p tsconfig.json) >"$ART/typegen.log" 2>&1; then
  pass "generated client: openapi-typescript types, client code type-checks with tsc"
else
  grep -v -e 'Tag object' "$ART/typegen.log" | tail -n 30
  fail "generated client: openapi-typescript + tsc (artifacts/typegen.log)"
fi

# ---------------------------------------------------------------- generated client: Kiota (C#)
echo
echo "== generated client: kiota generate -l CSharp ../../openapi/v1.json, built and called against the API"
if (cd "$E2E" && dotnet tool restore &&
  dotnet tool run kiota generate -l CSharp -d ../../openapi/v1.json -o artifacts/kiota/Client -c GovernanceClient \
    -n OpenGovernance.Client --exclude-backward-compatible --ll Warning &&
  dotnet run --project kiota -- "$BASE") >"$ART/kiota.log" 2>&1; then
  # What Kiota says of the document (a server URL is not in it; JSON, CSV and GeoJSON of one operation differ).
  grep -o 'OpenAPI warning: .*' "$ART/kiota.log" | sed 's/^/  /'
  pass "generated client: Kiota C# client builds and reads the API's answers ($(grep -o '[0-9]* checks passed' "$ART/kiota.log"))"
else
  grep -v '^ *at ' "$ART/kiota.log" | tail -n 30
  fail "generated client: Kiota C# client (artifacts/kiota.log)"
fi

# ---------------------------------------------------------------- node:test suites
echo
echo "== node --test: Swagger UI and the pages in Chromium (axe-core, Lighthouse), the generated client's calls, answers vs schemas (Ajv), Prism proxy"
suites=("$E2E/docs.test.mjs" "$E2E/pages.test.mjs" "$E2E/lighthouse.test.mjs" "$E2E/contract.test.mjs" "$E2E/prism.test.mjs")
[ -f "$ART/build/client/client.test.js" ] && suites+=("$ART/build/client/client.test.js")
(cd "$E2E" && timeout 600 node --test \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$ART/node-tests.tap" \
  "${suites[@]}")
node_status=$?
count() { grep -E "^# $1 [0-9]+$" "$ART/node-tests.tap" 2>/dev/null | awk '{s += $3} END {print s + 0}'; }
node_pass=$(count pass)
node_fail=$(($(count fail) + $(count cancelled)))
todo=$(count todo)
passed=$((passed + node_pass))
failed=$((failed + node_fail))
[ "$node_fail" -gt 0 ] && failures+=("node:test: $node_fail test(s), see above")
if [ "$node_status" != 0 ] && [ "$node_fail" = 0 ]; then fail "node --test exited $node_status without a failing test (crash or timeout)"; fi
if [ -f "$ART/docs.png" ]; then echo "screenshot: tests/e2e/artifacts/docs.png"; fi
shots=$(ls "$ART"/page-*.png 2>/dev/null | wc -l)
[ "$shots" -gt 0 ] && echo "pages: $shots screenshots in tests/e2e/artifacts/page-*.png, axe results in tests/e2e/artifacts/axe.json"
grep -h '^# lighthouse ' "$ART/node-tests.tap" 2>/dev/null

# ---------------------------------------------------------------- README recipes
echo
echo "== README recipes (tests/e2e/recipes/*.sh $BASE)"
for recipe in "$E2E"/recipes/*.sh; do
  name=$(basename "$recipe" .sh)
  if timeout 120 bash "$recipe" "$BASE" >"$ART/recipe-$name.log" 2>&1; then
    pass "recipe $name"
  else
    sed 's/^/    /' "$ART/recipe-$name.log" | tail -n 30
    fail "recipe $name (artifacts/recipe-$name.log)"
  fi
done

# ---------------------------------------------------------------- MCP server
echo
echo "== MCP server: the MCP Inspector CLI against $BASE/mcp (tests/e2e/mcp.sh)"
mcp_failed=$failed
mcp_status=
while IFS= read -r line; do
  case "$line" in
    "PASS  "*) pass "${line#PASS  }" ;;
    "FAIL  "*) fail "${line#FAIL  }" ;;
    "mcp.sh exit "*) mcp_status=${line#mcp.sh exit } ;;
    *) echo "$line" ;;
  esac
done < <(timeout 300 bash "$E2E/mcp.sh" "$BASE" "$ART/api.log" 2>&1; echo "mcp.sh exit $?")
if [ "$mcp_status" != 0 ] && [ "$failed" = "$mcp_failed" ]; then fail "MCP: tests/e2e/mcp.sh exited $mcp_status without a failing check"; fi

stop_api
echo
echo "e2e took $(($(date +%s) - started)) s"
summary
[ "$failed" = 0 ]
