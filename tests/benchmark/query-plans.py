#!/usr/bin/env python3
"""EXPLAIN QUERY PLAN of the API's hot queries, to show they use indexes (no full scans)."""
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
queries = {
    "filtered statistics (indicator IN, sort -period)":
        "SELECT s.id FROM statistics s JOIN indicators i ON i.id = s.indicator_id JOIN regions r ON r.adcode = s.region_adcode "
        "JOIN sources src ON src.id = s.source_id WHERE 1 = 1 AND s.indicator_id IN ('service-circles', 'community-workers') "
        "ORDER BY s.period DESC, s.id DESC LIMIT 101",
    "deep page by keyset cursor (id > last id)":
        "SELECT s.id FROM statistics s JOIN indicators i ON i.id = s.indicator_id JOIN regions r ON r.adcode = s.region_adcode "
        "JOIN sources src ON src.id = s.source_id WHERE 1 = 1 AND s.id > 'registered-volunteers' ORDER BY s.id ASC, s.id ASC LIMIT 101",
    "deep page sorted by value (value, id) > (k, last id)":
        "SELECT s.id FROM statistics s WHERE 1 = 1 AND (s.value > 100 OR (s.value = 100 AND s.id > 'x')) ORDER BY s.value ASC, s.id ASC LIMIT 101",
    "search 党建 (FTS5)":
        "SELECT resource, id, bm25(search_index) AS Score FROM search_index WHERE search_index MATCH 'bigrams : \"党建\"' "
        "ORDER BY Score, resource, id LIMIT 101 OFFSET 0",
    "statistics by region":
        "SELECT s.id FROM statistics s WHERE s.region_adcode IN ('110105') ORDER BY s.id LIMIT 101",
}
for name, sql in queries.items():
    print(name)
    for row in db.execute("EXPLAIN QUERY PLAN " + sql):
        print("   ", row[3])
