#!/usr/bin/env bash
# README recipe: a map service takes Beijing and its districts as a GeoJSON layer keyed by
# adcode (RFC 7946), and a district's figures as points.
# Usage: bash tests/e2e/recipes/map-service.sh [BASE_URL]   (default http://localhost:5000)
set -euo pipefail
BASE=${1:-http://localhost:5000}
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT && cd "$work"

curl -fsS -D headers.txt -H 'Accept: application/geo+json' "$BASE/v1/regions" > regions.geojson
grep -qi '^content-type: application/geo+json' headers.txt
curl -fsS "$BASE/v1/statistics?region=110105&format=geojson" > chaoyang.geojson

python3 - <<'PY'
import json

layer = json.load(open("regions.geojson"))
assert layer["type"] == "FeatureCollection", layer["type"]
features = layer["features"]
for f in features:
    lon, lat = f["geometry"]["coordinates"]
    print(f["id"], f["properties"]["name"]["en"], f["properties"]["level"], lon, lat)
# Beijing and its 16 districts: 17 points, each keyed by its adcode (feature id = properties.adcode).
assert len(features) == 17, len(features)
assert all(f["type"] == "Feature" and f["geometry"]["type"] == "Point" for f in features)
adcodes = [f["id"] for f in features]
assert adcodes == [f["properties"]["adcode"] for f in features] and len(set(adcodes)) == 17
assert "110000" in adcodes and sum(a.startswith("1101") for a in adcodes) == 16
# RFC 7946: longitude first, WGS 84; all of them inside Beijing.
assert all(115.4 < f["geometry"]["coordinates"][0] < 117.6 and 39.4 < f["geometry"]["coordinates"][1] < 41.1 for f in features)

chaoyang = json.load(open("chaoyang.geojson"))
assert chaoyang["type"] == "FeatureCollection" and chaoyang["features"], "no figures for Chaoyang (110105)"
assert all(f["properties"]["region"]["adcode"] == "110105" for f in chaoyang["features"])
print(len(chaoyang["features"]), "figures for Chaoyang")
PY
