#!/usr/bin/env python3
"""Make a synthetic database FACTOR times larger than the real one (default 1000), for the benchmark.

    python3 tests/benchmark/make-large-db.py <real governance.db> <out large.db> [factor]

The real file comes from the build (src/OpenGovernanceApi/bin/Release/net10.0/governance.db).
Copy n = 1 … factor-1 of every real statistic (m = n - 1) is placed on
  - a synthetic indicator variant (b = 1 + m mod I): <indicator>-v<b>, same topic and unit, so
    the real indicators keep exactly their real statistics (a filter on them matches the same
    rows on both files: the large file tests the indexes, not a larger answer);
  - a region variant (a = m div I mod R): a = 0 is the real region, a > 0 a synthetic copy of
    every real region, adcode + 1000·a (110105 → 111105 … 119105, still 11xxxx), names suffixed;
  - a period shifted back 28·c years (c = m div (I·R)),
with I = R = P = 10 for factor 1000: regions, indicators and periods each grow about tenfold,
statistics a thousandfold, and no two copies share indicator, region and period. Each copy
keeps its row's other columns (value, hedge, quote, source, plan), gets the id <id>-x<nnn>, its
conflicts (both ids copied alike) and its search_index row (same text, so a search matches a
thousand times more statistics); each synthetic indicator gets its search_index row too. The schema, indexes,
constraints and `meta` are untouched; no ANALYZE is run, since the real build does not run it
either, so SQLite plans queries on the large file exactly as it would on a real one.
"""
import math, re, shutil, sqlite3, sys, time

src, out = sys.argv[1], sys.argv[2]
factor = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
started = time.time()

k = max(1, round(factor ** (1 / 3)))
I = k
R = min(k, 10)                      # adcode + 1000·a must stay within 11xxxx
P = max(1, math.ceil((factor - 1) / (I * R)))

shutil.copyfile(src, out)
db = sqlite3.connect(out)
db.execute("PRAGMA journal_mode = OFF")
db.execute("PRAGMA synchronous = OFF")
db.execute("PRAGMA foreign_keys = ON")
db.execute("PRAGMA cache_size = -200000")


def region(adcode, a):
    return adcode if a == 0 else str(int(adcode) + 1000 * a)


def indicator(iid, b):
    return iid if b == 0 else f"{iid}-v{b}"


def period(p, c):
    return p if c == 0 else f"{int(p[:4]) - 28 * c:04d}{p[4:]}"


# Regions: every real region again for each variant a (parents mapped alike, so the hierarchy holds).
regions = db.execute("SELECT adcode, level, parent, name_zh, name_en, lon, lat FROM regions ORDER BY parent IS NOT NULL, adcode").fetchall()
for a in range(1, R):
    db.executemany("INSERT INTO regions VALUES (?, ?, ?, ?, ?, ?, ?)", [
        (region(ad, a), level, region(parent, a) if parent else None, f"{zh}(合成{a})", f"{en} (synthetic {a})",
         round(lon + 0.01 * a, 4), round(lat + 0.01 * a, 4))
        for (ad, level, parent, zh, en, lon, lat) in regions])

# Indicators, and their search rows.
indicators = db.execute("SELECT id, topic_id, unit_id, name_zh, name_en, description_zh, description_en FROM indicators").fetchall()
indicator_search = {row[1]: row for row in db.execute(
    "SELECT resource, id, title_zh, title_en, text, bigrams, unigrams FROM search_index WHERE resource = 'indicators'")}
for b in range(1, I + 1):
    db.executemany("INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?)", [
        (indicator(iid, b), topic, unit, f"{zh}(合成{b})", f"{en} (synthetic {b})", dzh, den)
        for (iid, topic, unit, zh, en, dzh, den) in indicators])
    db.executemany("INSERT INTO search_index (resource, id, title_zh, title_en, text, bigrams, unigrams) VALUES (?, ?, ?, ?, ?, ?, ?)", [
        (r[0], indicator(iid, b), f"{r[2]}(合成{b})", f"{r[3]} (synthetic {b})", r[4], r[5], r[6])
        for iid, r in indicator_search.items()])

# Statistics, their conflicts and their search rows.
columns = [c[1] for c in db.execute("PRAGMA table_info(statistics)")]
assert columns[:4] == ["id", "indicator_id", "region_adcode", "period"], columns
stats = db.execute("SELECT * FROM statistics").fetchall()
conflicts = db.execute("SELECT statistic_id, other_id FROM statistic_conflicts").fetchall()
places = db.execute("SELECT item_id, source_id, passage_ordinal, quote_start FROM quote_places WHERE resource = 'statistics'").fetchall()
stat_search = {row[1]: row for row in db.execute(
    "SELECT resource, id, title_zh, title_en, text, bigrams, unigrams FROM search_index WHERE resource = 'statistics'")}
insert = f"INSERT INTO statistics VALUES ({','.join('?' * len(columns))})"
for n in range(1, factor):
    m = n - 1
    b, a, c = 1 + m % I, m // I % R, m // (I * R)
    suffix = f"-x{n:0{len(str(factor - 1))}d}"
    db.executemany(insert, [
        (s[0] + suffix, indicator(s[1], b), region(s[2], a), period(s[3], c), *s[4:]) for s in stats])
    db.executemany("INSERT INTO statistic_conflicts VALUES (?, ?)", [(x + suffix, y + suffix) for (x, y) in conflicts])
    db.executemany("INSERT INTO quote_places VALUES ('statistics', ?, ?, ?, ?)", [(i + suffix, s, o, q) for (i, s, o, q) in places])
    db.executemany("INSERT INTO search_index (resource, id, title_zh, title_en, text, bigrams, unigrams) VALUES (?, ?, ?, ?, ?, ?, ?)", [
        (r[0], sid + suffix, r[2], r[3], r[4], r[5], r[6]) for sid, r in stat_search.items()])

problems = db.execute("PRAGMA foreign_key_check").fetchall()
assert not problems, problems[:5]
db.commit()
db.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
db.commit()
db.execute("VACUUM")
db.close()

db = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
count = lambda sql: db.execute(sql).fetchone()[0]
print(f"wrote {out} in {time.time() - started:.0f} s ({factor}x: regions x{R}, indicators x{I + 1}, periods x{P}): "
      f"{count('SELECT count(*) FROM statistics')} statistics, {count('SELECT count(*) FROM indicators')} indicators, "
      f"{count('SELECT count(*) FROM regions')} regions, {count('SELECT count(DISTINCT period) FROM statistics')} periods, "
      f"{count('SELECT count(*) FROM search_index')} search rows")
