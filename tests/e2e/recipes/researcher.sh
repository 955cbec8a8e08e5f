#!/usr/bin/env bash
# README recipe: a researcher downloads a whole table as CSV and the SQLite database itself, and
# loads both with nothing but Python's standard csv and sqlite3 modules.
# Usage: bash tests/e2e/recipes/researcher.sh [BASE_URL]   (default http://localhost:5000)
set -euo pipefail
BASE=${1:-http://localhost:5000}
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT && cd "$work"

# Every file with its size and SHA-256; then two of them.
curl -fsS "$BASE/v1/downloads" > downloads.json
curl -fsS -O "$BASE/v1/downloads/statistics.csv"      # UTF-8 with a byte-order mark (Excel-ready)
curl -fsS --compressed -O "$BASE/v1/downloads/governance.sqlite"   # the database the API serves, a quarter of the bytes on the wire
curl -fsS "$BASE/v1/releases" > releases.json         # what each data release added or corrected
curl -fsS -OJ "$BASE/v1/statistics?format=csv&source=pc2019"   # the API's flattened shape, saved under its own name

python3 - <<'PY'
import csv, hashlib, json, sqlite3

# The files are the ones listed, byte for byte.
listed = {f["name"]: f for f in json.load(open("downloads.json"))["data"]}
for name in ("statistics.csv", "governance.sqlite"):
    data = open(name, "rb").read()
    assert len(data) == listed[name]["bytes"] and hashlib.sha256(data).hexdigest() == listed[name]["sha256"], name

# CSV: 'utf-8-sig' drops the byte-order mark, so the first column is "id", not "\ufeffid".
with open("statistics.csv", encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f))
print(len(rows), "statistics; columns:", ", ".join(rows[0]))
assert list(rows[0])[:5] == ["id", "indicator_id", "region_adcode", "period", "value"]

# SQLite, read-only: the same rows, and SQL over them.
db = sqlite3.connect("file:governance.sqlite?mode=ro", uri=True)
assert db.execute("select count(*) from statistics").fetchone()[0] == len(rows)
volunteers = {r["id"]: r for r in rows if r["indicator_id"] == "registered-volunteers"}
for id_, value, comparator, quote in db.execute(
        "select id, value, comparator, quote from statistics where indicator_id = ? order by period",
        ("registered-volunteers",)):
    print(id_, value, comparator, quote[:40])
    assert float(volunteers[id_]["value"]) == value and volunteers[id_]["comparator"] == comparator
    assert volunteers[id_]["quote"] == quote          # Chinese text intact through the CSV
assert volunteers, "no registered-volunteers rows"
per_district = db.execute("""
    select r.name_en, count(*) from statistics s join regions r on r.adcode = s.region_adcode
    group by r.adcode order by count(*) desc""").fetchall()
print("figures per region:", per_district[:5])
assert per_district and sum(n for _, n in per_district) == len(rows)

# The API's shape is another file: dotted columns, named for its filter, beside statistics.csv.
with open("statistics-api-source-pc2019.csv", encoding="utf-8-sig", newline="") as f:
    extract = list(csv.DictReader(f))
assert "indicator.name.zh" in extract[0] and {r["source.id"] for r in extract} == {"pc2019"}

# The full-text index holds Chinese as character pairs: the README's query, 志愿者 as the phrase 志愿 愿者.
hits = db.execute("""SELECT resource, id, title_en FROM search_index WHERE search_index MATCH '{head_bigrams bigrams} : "志愿 愿者"' ORDER BY rank;""").fetchall()
print(len(hits), "hits for 志愿者, first:", hits[0])
assert all(("statistics", id_) in {(r, i) for r, i, _ in hits} for id_ in volunteers)

# Which release is this? The note of the one served, to cite with the figures.
releases = json.load(open("releases.json"))["data"]
current = [r for r in releases if r["current"]]
assert len(current) == 1 and current[0]["dataVersion"] == json.load(open("downloads.json"))["meta"]["dataVersion"]
print("data release", current[0]["dataVersion"], current[0]["date"], "-", current[0]["summary"]["en"][:60])
PY
