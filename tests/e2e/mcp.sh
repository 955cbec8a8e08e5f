#!/usr/bin/env bash
# The MCP server at /mcp as an assistant's client meets it: the MCP Inspector's CLI
# (@modelcontextprotocol/inspector, pinned in package-lock.json) over Streamable HTTP lists the tools and
# calls search and get_statistic, whose answers are checked against /v1 (values, hedges, quotes, citations).
# Prints one "PASS  …" or "FAIL  …" line per check (run.sh counts them); exits non-zero on any failure.
#
# Usage: bash tests/e2e/mcp.sh BASE_URL [API_LOG]   (after `npm ci` in tests/e2e; run.sh does both)
#   API_LOG: the API's standard output, to check that MCP requests are in the request log like /v1's.
set -uo pipefail

BASE=${1:?usage: mcp.sh BASE_URL [API_LOG]}
API_LOG=${2:-}
E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
INSPECTOR="$E2E/node_modules/.bin/mcp-inspector"
failed=0
pass() { echo "PASS  $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1"; }

[ -x "$INSPECTOR" ] || { fail "MCP: the Inspector CLI is not installed (npm ci in tests/e2e)"; exit 1; }
# The answer is on standard output; the CLI's notes (schema portability, "returned isError") go to standard
# error, shown with a failing check. It exits non-zero for a tool error, which one check expects.
STDERR=$(mktemp)
trap 'rm -f "$STDERR"' EXIT
inspect() { timeout 60 "$INSPECTOR" --cli "$BASE/mcp" --transport http "$@" 2>"$STDERR"; }

# check NAME JSON NODE-EXPRESSION: the expression, with `r` the parsed answer, must be true.
check() {
  local name=$1 json=$2 expression=$3
  if printf '%s' "$json" | node -e "
      const r = JSON.parse(require('fs').readFileSync(0, 'utf8'));
      const v1 = JSON.parse(process.env.V1 || 'null');
      if (!($expression)) { console.error(JSON.stringify(r, null, 1).slice(0, 3000)); process.exit(1); }" 2>&1; then
    pass "MCP: $name"
  else
    sed 's/^/    inspector: /' "$STDERR" | head -n 20
    fail "MCP: $name"
  fi
}

tools=$(inspect --method tools/list)
check "tools/list lists search, get_statistic, get_series, list_indicators, goal_progress, each with input and output schemas" "$tools" \
  "JSON.stringify(r.tools.map(t => t.name).sort()) === JSON.stringify(['get_series','get_statistic','goal_progress','list_indicators','search'])
   && r.tools.every(t => t.description && t.inputSchema.type === 'object' && t.outputSchema && t.outputSchema.type === 'object' && t.annotations.readOnlyHint)"

search=$(inspect --method tools/call --tool-name search --tool-arg query=志愿者 --tool-arg type=statistics --tool-arg limit=5)
V1=$(curl -fsS -G "$BASE/v1/search" --data-urlencode 'q=志愿者' -d type=statistics -d limit=5) \
check "tools/call search 志愿者: the hits of /v1/search, the hedge in the titles, ending with the citation" "$search" \
  "!r.isError && JSON.stringify(r.structuredContent.hits.map(h => h.id)) === JSON.stringify(v1.data.map(h => h.id))
   && r.structuredContent.total === v1.meta.total
   && r.content[0].text.includes('registered-volunteers-2019-01-09-pc2019')
   && r.content[0].text.includes('more than 4.267 million people')
   && /\nCitation: OpenGovernanceApi.*\/v1\/search\?q=/.test(r.content[0].text)"

statistic=$(inspect --method tools/call --tool-name get_statistic --tool-arg id=registered-volunteers-2019-01-09-pc2019)
V1=$(curl -fsS "$BASE/v1/statistics/registered-volunteers-2019-01-09-pc2019") \
check "tools/call get_statistic: 4267000, gt, \"more than 4.267 million people\", the quote with 426.7万, ending with /v1's citation" "$statistic" \
  "!r.isError && r.structuredContent.statistic.value === 4267000 && r.structuredContent.statistic.comparator === 'gt'
   && r.structuredContent.statistic.inWords.en === 'more than 4.267 million people'
   && r.structuredContent.statistic.quote === v1.data.quote && v1.data.quote.includes('426.7万')
   && r.structuredContent.statistic.json === v1.data.links.self
   && r.content[0].text.includes('more than 4.267 million people') && r.content[0].text.includes(v1.data.quote)
   && r.content[0].text.endsWith(v1.data.citation.en)"

nearly=$(inspect --method tools/call --tool-name get_statistic --tool-arg id=service-circles-coverage-2018-art2018)
check "tools/call get_statistic: 近90% is \"nearly 90%\", never a bare 90%" "$nearly" \
  "r.content[0].text.includes('nearly 90%') && r.structuredContent.statistic.hedge === 'nearly'"

unknown=$(inspect --method tools/call --tool-name get_statistic --tool-arg id=no-such-figure)
check "tools/call get_statistic with an unknown id: a tool error that names it" "$unknown" \
  "r.isError === true && r.content[0].text.includes('no-such-figure')"

if [ -n "$API_LOG" ]; then
  if grep -q '"Message":"POST /mcp 200' "$API_LOG"; then pass "MCP: requests are in the API's request log"; else fail "MCP: no 'POST /mcp 200' line in the request log ($API_LOG)"; fi
fi

[ "$failed" = 0 ]
