#!/usr/bin/env python3
"""Quick check for data authors: every quote in the given JSON files stands in its source text.
Usage: python3 db/tools/check_quotes.py db/data/statistics/pc2016.json ...
(The real validation runs in the .NET build; this is a fast local aid.)"""
import json, sys, os
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
seeds = os.path.join(root, '..', '..', 'shared', 'seeds')
sources = {s['id']: s for s in json.load(open(os.path.join(root, 'data', 'sources.json')))}
missing = [v['file'] for v in sources.values() if not os.path.isfile(os.path.join(seeds, v['file']))]
if missing:
    # A fresh clone has no ../shared: say so plainly rather than crash or pass.
    print(f"cannot check quotes: the source texts are not at hand ({os.path.normpath(seeds)} lacks {', '.join(missing)}); "
          "the database build checks them against db/quotes.verified instead", file=sys.stderr)
    sys.exit(2)
texts = {k: open(os.path.join(seeds, v['file']), encoding='utf-8').read() for k, v in sources.items()}
bad = 0
for path in sys.argv[1:]:
    for row in json.load(open(path, encoding='utf-8')):
        q, src = row.get('quote'), row.get('source')
        if not q or src not in texts or q not in texts[src]:
            bad += 1
            print(f"{path}: {row.get('id')}: quote not found in {src}: {q!r}")
        elif len(q) > 160:
            print(f"{path}: {row.get('id')}: quote is {len(q)} characters (aim for <= 150)")
print(f"{bad} bad quotes")
sys.exit(1 if bad else 0)
