#!/usr/bin/env bash
# README recipe: a journalist finds a figure, its hedge, its date, the sentence it is quoted from
# and a ready-to-paste citation, with curl and python3's json module.
# Usage: bash tests/e2e/recipes/journalist.sh [BASE_URL]   (default http://localhost:5000)
set -euo pipefail
BASE=${1:-http://localhost:5000}

# 1. Find it: search in Chinese (or English). A non-ASCII query must be percent-encoded;
#    curl does that with -G and --data-urlencode.
curl -fsS -G "$BASE/v1/search" --data-urlencode 'q=志愿者' -d type=statistics -d fields=id,title |
  python3 -c '
import json, sys
hits = json.load(sys.stdin)["data"]
for hit in hits:
    print(hit["id"], "-", hit["title"]["en"])
assert any(h["id"].startswith("registered-volunteers-") for h in hits), "no registered-volunteers figure found"'

# 2. The figure now: the latest actual figure of the indicator (latest=true alone also keeps the
#    plans' latest target for it), with its hedge: comparator "gt" means "more than" (突破).
curl -fsS "$BASE/v1/statistics?indicator=registered-volunteers&latest=true&kind=actual" |
  python3 -c '
import json, sys
s = json.load(sys.stdin)["data"][0]
print(s["comparator"], format(s["value"], ","), s["unit"], s["period"], "as written:", s["valueAsWritten"])
print("quote:", s["quote"])
print("cite: ", s["citation"]["en"])
assert isinstance(s["value"], (int, float)) and s["comparator"] in ("eq", "approx", "gt", "gte", "lt", "lte")
assert s["kind"] == "actual" and s["valueAsWritten"] in s["quote"]'

# 3. One figure by its permanent id: 426.7万 → 4267000, comparator gt, the sentence, the citation
#    (which points to the figure's page, links.html, so that a reader of the pasted citation can open it).
curl -fsS "$BASE/v1/statistics/registered-volunteers-2019-01-09-pc2019" |
  python3 -c '
import json, sys
s = json.load(sys.stdin)["data"]
print(s["value"], s["comparator"], s["quote"])
assert (s["value"], s["comparator"], s["valueAsWritten"]) == (4267000, "gt", "426.7万")
assert "426.7万" in s["quote"] and s["links"]["html"] in s["citation"]["zh"]
assert s["links"]["html"].replace("/statistics/", "/en/statistics/") in s["citation"]["en"]'
