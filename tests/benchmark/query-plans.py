#!/usr/bin/env python3
"""EXPLAIN QUERY PLAN of the SQL behind the benchmarked endpoints, on the large database, with
each query's time on the real and the large file, to show the hot queries stay indexed.

    python3 tests/benchmark/query-plans.py <real governance.db> <large.db>

The SELECT texts are read from the API's source (the `private const string` blocks), and the
WHERE/ORDER BY/LIMIT are assembled as StatisticsEndpoints, SearchEndpoints, RegionsEndpoints and
PagedQuery assemble them (Dapper expands `IN @List` to `IN (@List1, @List2 …)`, done here too).
"""
import re, sqlite3, statistics, sys, time
from pathlib import Path

real_path, large_path = sys.argv[1], sys.argv[2]
source = Path(__file__).resolve().parents[2] / "src" / "OpenGovernanceApi" / "Api"
constants = {}
for file in ("StatisticsEndpoints.cs", "RegionsEndpoints.cs"):
    for name, text in re.findall(r'private const string (\w+) = """\n(.*?)\n\s*""";', (source / file).read_text(), re.S):
        constants[name] = re.sub(r"\s+", " ", text).strip()
stats, regions, latest = constants["SelectStatistics"], constants["SelectRegions"], constants["SelectLatest"]


def expand(sql, params):
    """Dapper's list expansion: IN @Name with a list value becomes IN (@Name1, @Name2 …)."""
    out = dict(params)
    for name, value in params.items():
        if isinstance(value, list):
            sql = sql.replace(f"IN @{name}", "IN (" + ", ".join(f"@{name}{i + 1}" for i in range(len(value))) + ")")
            del out[name]
            out.update({f"{name}{i + 1}": v for i, v in enumerate(value)})
    return sql, out


def queries(db):
    n = db.execute("SELECT count(*) FROM statistics").fetchone()[0]
    after = db.execute("SELECT id FROM statistics ORDER BY id LIMIT 1 OFFSET ?", (min(99_899, n - 101),)).fetchone()[0]
    adcodes = [r[0] for r in db.execute("SELECT adcode FROM regions ORDER BY adcode")]
    filtered = "1 = 1 AND s.indicator_id IN @Indicators"
    indicators = {"Indicators": ["service-circles", "community-workers"]}
    match = {"Match": 'bigrams : "党建"', "Limit": 101, "Offset": 0}
    return [
        ("page 1: /v1/statistics?limit=100", "reads 101 rows in id order, then stops",
         f"{stats} WHERE 1 = 1 ORDER BY s.id ASC, s.id ASC LIMIT @Limit", {"Limit": 101}),
        ("page 1000 by cursor (keyset: id > last id of page 999)", "seeks to the cursor, reads 101 rows",
         f"{stats} WHERE 1 = 1 AND s.id > @AfterId ORDER BY s.id ASC, s.id ASC LIMIT @Limit", {"AfterId": after, "Limit": 101}),
        ("meta.total of the unfiltered list", "a count of everything reads everything: run once per filter, then remembered (StatisticsEndpoints.Totals)",
         "SELECT count(*) FROM statistics s WHERE 1 = 1", {}),
        ("filtered: indicator=service-circles,community-workers&sort=-period", "index on indicator_id, sorts only the matches",
         f"{stats} WHERE {filtered} ORDER BY s.period DESC, s.id DESC LIMIT @Limit", {**indicators, "Limit": 101}),
        ("filtered, meta.total", "index on indicator_id", f"SELECT count(*) FROM statistics s WHERE {filtered}", indicators),
        ("filtered, next page (keyset on period, id)", "index on indicator_id, sorts only the matches",
         f"{stats} WHERE {filtered} AND (s.period < @AfterKey OR (s.period = @AfterKey AND s.id < @AfterId)) "
         "ORDER BY s.period DESC, s.id DESC LIMIT @Limit", {**indicators, "AfterKey": "2019", "AfterId": "z", "Limit": 101}),
        ("one statistic by id", "primary key", f"{stats} WHERE s.id = @Id", {"Id": "registered-volunteers-2019-01-09-pc2019"}),
        ("search 党建, meta.total", "FTS5 index (M = MATCH)", "SELECT count(*) FROM search_index WHERE search_index MATCH @Match", match),
        ("search 党建, ranked page", "FTS5 index; every match is scored (BM25) and sorted",
         "SELECT resource AS Resource, id AS Id, title_zh AS TitleZh, title_en AS TitleEn, text AS Text, bm25(search_index) AS Score "
         "FROM search_index WHERE search_index MATCH @Match ORDER BY Score, resource, id LIMIT @Limit OFFSET @Offset", match),
        ("regions (GeoJSON): the regions and their statistic counts", "primary key; covering index per region",
         f"{regions} WHERE 1 = 1 AND (@AfterId IS NULL OR r.adcode > @AfterId) ORDER BY r.adcode LIMIT @Limit", {"AfterId": None, "Limit": -1}),
        ("regions (GeoJSON): latest actual figure per indicator of every region", "the newest period per region and indicator off the covering index, then one index probe per newest figure",
         latest, {"Adcodes": adcodes}),
        ("CSV of all statistics", "every row, in id order, streamed", f"{stats} WHERE 1 = 1 ORDER BY s.id ASC, s.id ASC LIMIT @Limit", {"Limit": -1}),
    ]


def timed(db, sql, params, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        rows = db.execute(sql, params).fetchall()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, len(rows)


real = sqlite3.connect(f"file:{real_path}?mode=ro", uri=True)
large = sqlite3.connect(f"file:{large_path}?mode=ro", uri=True)
scans = []
for (name, expect, sql, params), (_, _, real_sql, real_params) in zip(queries(large), queries(real)):
    sql, params = expand(sql, params)
    real_sql, real_params = expand(real_sql, real_params)
    big = len(params.get("Adcodes1", "")) or params.get("Limit") == -1
    real_ms, real_rows = timed(real, real_sql, real_params, 5)
    large_ms, large_rows = timed(large, sql, params, 2 if big else 5)
    print(f"{name}  [{expect}]")
    print(f"    time: real {real_ms:.2f} ms ({real_rows} rows), large {large_ms:.2f} ms ({large_rows} rows), x{large_ms / max(real_ms, 0.001):.1f}")
    for row in large.execute("EXPLAIN QUERY PLAN " + sql, params):
        detail = row[3]
        flag = ""
        if detail.startswith("SCAN ") and "VIRTUAL TABLE" not in detail:
            flag = "   <- scan"
            scans.append(name)
        print(f"    {detail}{flag}")
print()
print("Walks over a table or index (each explained in brackets above):", "; ".join(dict.fromkeys(scans)) or "none")
