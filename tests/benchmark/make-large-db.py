#!/usr/bin/env python3
"""Make a synthetic database about a thousand times larger than the real one, for the benchmark.

    python3 tests/benchmark/make-large-db.py <real governance.db> <out large.db> [factor]

Every real statistic is copied `factor` times (default 1000) onto synthetic regions (adcodes
1190xx), periods (years 1900-2099) and indicators (<id>-sNNN), with its search-index row, so the
shape of the data (indexes, joins, FTS) is the real one and only the size changes.
"""
import shutil, sqlite3, sys

src, out = sys.argv[1], sys.argv[2]
factor = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
shutil.copyfile(src, out)
db = sqlite3.connect(out)
db.execute("PRAGMA foreign_keys = OFF")
regions = 50
for r in range(regions):
    db.execute("INSERT INTO regions VALUES (?, 'district', '110000', ?, ?, ?, ?)",
               (f"1190{r:02d}", f"合成区{r}", f"Synthetic district {r}", 116.0 + r * 0.01, 40.0 + r * 0.01))
indicators = db.execute("SELECT id, topic_id, unit_id, name_zh, name_en FROM indicators").fetchall()
copies = max(1, factor // 20)
for (iid, topic, unit, zh, en) in indicators:
    for k in range(copies):
        db.execute("INSERT INTO indicators VALUES (?, ?, ?, ?, ?, NULL, NULL)", (f"{iid}-s{k:03d}", topic, unit, f"{zh}(合成{k})", f"{en} (synthetic {k})"))
stats = db.execute("SELECT * FROM statistics").fetchall()
search = {row[0]: row for row in db.execute("SELECT id, resource, title_zh, title_en, text, bigrams, unigrams FROM search_index WHERE resource = 'statistics'")}
for n in range(1, factor):
    rows, index_rows = [], []
    for s in stats:
        sid = f"{s[0]}-x{n:04d}"
        rows.append((sid, f"{s[1]}-s{n % copies:03d}", f"1190{n % regions:02d}", f"{1900 + n % 200}", s[4] + n, *s[5:]))
        if s[0] in search:
            r = search[s[0]]
            index_rows.append((r[1], sid, r[2], r[3], r[4], r[5], r[6]))
    db.executemany(f"INSERT INTO statistics VALUES ({','.join('?' * len(stats[0]))})", rows)
    db.executemany("INSERT INTO search_index (resource, id, title_zh, title_en, text, bigrams, unigrams) VALUES (?, ?, ?, ?, ?, ?, ?)", index_rows)
db.commit()
db.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
db.execute("ANALYZE")
db.commit()
db.execute("VACUUM")
count = db.execute("SELECT count(*) FROM statistics").fetchone()[0]
print(f"wrote {out}: {count} statistics ({factor}x), {db.execute('SELECT count(*) FROM indicators').fetchone()[0]} indicators, "
      f"{db.execute('SELECT count(*) FROM regions').fetchone()[0]} regions")
