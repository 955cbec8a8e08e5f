-- The shape of governance.db. Built by src/OpenGovernanceApi.DataBuild from db/data/*.json.
-- Bilingual text is two columns (_zh, _en). Periods and dates are ISO 8601 strings of the
-- precision known ('2016', '2018-01', '2019-01-09'); they sort correctly as text.
-- Bump schema_version (in meta) whenever this file changes in a way the API must know.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE units (
  id      TEXT PRIMARY KEY,
  symbol  TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE topics (
  id      TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE regions (
  adcode  TEXT PRIMARY KEY,
  level   TEXT NOT NULL CHECK (level IN ('province', 'district')),
  parent  TEXT REFERENCES regions(adcode),
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  lon     REAL NOT NULL,
  lat     REAL NOT NULL
) WITHOUT ROWID;

-- Outlines of regions, from db/data/boundaries/*.geojson. `geometry` is an RFC 7946 Polygon or MultiPolygon
-- as JSON text, in WGS 84 (the build converts the file's GCJ-02; db/README.md says how that was found),
-- exterior rings counterclockwise. `source` names the package, file and licence with its copyright line.
-- Beijing as a whole (110000) has none: the source draws its 16 districts, not the city's outline.
CREATE TABLE region_boundaries (
  adcode   TEXT PRIMARY KEY REFERENCES regions(adcode),
  geometry TEXT NOT NULL,
  source   TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE sources (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('press-conference', 'news-report', 'report-release', 'signed-article')),
  title_zh     TEXT NOT NULL,
  title_en     TEXT NOT NULL,
  outlet_zh    TEXT NOT NULL,
  outlet_en    TEXT NOT NULL,
  published_on TEXT NOT NULL,
  author_zh    TEXT,
  author_en    TEXT,
  url          TEXT,
  notes_zh     TEXT,
  notes_en     TEXT
) WITHOUT ROWID;

CREATE TABLE plans (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL,
  name_zh      TEXT NOT NULL,
  name_en      TEXT NOT NULL,
  period_start TEXT NOT NULL,
  period_end   TEXT NOT NULL,
  issuer_zh    TEXT,
  issuer_en    TEXT,
  issued_on    TEXT,
  source_id    TEXT NOT NULL REFERENCES sources(id),
  quote        TEXT NOT NULL,
  notes_zh     TEXT,
  notes_en     TEXT
) WITHOUT ROWID;

CREATE TABLE indicators (
  id             TEXT PRIMARY KEY,
  topic_id       TEXT NOT NULL REFERENCES topics(id),
  unit_id        TEXT NOT NULL REFERENCES units(id),
  name_zh        TEXT NOT NULL,
  name_en        TEXT NOT NULL,
  description_zh TEXT,
  description_en TEXT
) WITHOUT ROWID;
CREATE INDEX indicators_topic ON indicators(topic_id, id);

CREATE TABLE statistics (
  id               TEXT PRIMARY KEY,
  indicator_id     TEXT NOT NULL REFERENCES indicators(id),
  region_adcode    TEXT NOT NULL REFERENCES regions(adcode),
  period           TEXT NOT NULL,
  value            REAL NOT NULL,
  unit_id          TEXT NOT NULL REFERENCES units(id),
  value_as_written TEXT NOT NULL,
  comparator       TEXT NOT NULL CHECK (comparator IN ('eq', 'approx', 'gt', 'gte', 'lt', 'lte')),
  kind             TEXT NOT NULL CHECK (kind IN ('actual', 'target', 'norm')),
  plan_id          TEXT REFERENCES plans(id),
  source_id        TEXT NOT NULL REFERENCES sources(id),
  quote            TEXT NOT NULL,
  notes_zh         TEXT,
  notes_en         TEXT
) WITHOUT ROWID;
-- Every filter and keyset sort of /v1/statistics is served by an index ending in id.
CREATE INDEX statistics_indicator ON statistics(indicator_id, region_adcode, period, id);
CREATE INDEX statistics_region    ON statistics(region_adcode, period, id);
CREATE INDEX statistics_source    ON statistics(source_id, id);
CREATE INDEX statistics_plan      ON statistics(plan_id, id);
CREATE INDEX statistics_period    ON statistics(period, id);
CREATE INDEX statistics_value     ON statistics(value, id);
-- "Latest actual figure per indicator and region" (regions, latest=true) is read from this index
-- alone, never from the wide rows with their quotes: 4x faster on a database 1000 times larger.
CREATE INDEX statistics_latest    ON statistics(region_adcode, indicator_id, kind, period, value, unit_id, value_as_written, comparator);

-- Precomputed at build time: statistics of another source that give another value for the
-- same indicator, region, kind and year.
CREATE TABLE statistic_conflicts (
  statistic_id TEXT NOT NULL REFERENCES statistics(id),
  other_id     TEXT NOT NULL REFERENCES statistics(id),
  PRIMARY KEY (statistic_id, other_id)
) WITHOUT ROWID;

CREATE TABLE goals (
  id                  TEXT PRIMARY KEY,
  plan_id             TEXT NOT NULL REFERENCES plans(id),
  parent_id           TEXT REFERENCES goals(id),
  measure_id          TEXT REFERENCES measures(id), -- the task or project that states this goal or target
  ordinal             INTEGER NOT NULL,
  kind                TEXT NOT NULL CHECK (kind IN ('qualitative', 'quantitative')),
  text_zh             TEXT NOT NULL,
  text_en             TEXT NOT NULL,
  target_statistic_id TEXT REFERENCES statistics(id),
  source_id           TEXT NOT NULL REFERENCES sources(id),
  quote               TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX goals_plan ON goals(plan_id, id);
CREATE INDEX goals_measure ON goals(measure_id, id);

-- A measure belongs to a plan, or to a policy document (an event of kind 'policy'), or, for a
-- programme a source states on its own, to neither.
CREATE TABLE measures (
  id             TEXT PRIMARY KEY,
  plan_id        TEXT REFERENCES plans(id),
  policy_id      TEXT REFERENCES events(id),
  parent_id      TEXT REFERENCES measures(id),
  kind           TEXT NOT NULL CHECK (kind IN ('key-task', 'project', 'measure', 'principle', 'programme')),
  ordinal        INTEGER NOT NULL,
  name_zh        TEXT NOT NULL,
  name_en        TEXT NOT NULL,
  description_zh TEXT,
  description_en TEXT,
  source_id      TEXT NOT NULL REFERENCES sources(id),
  quote          TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX measures_plan   ON measures(plan_id, id);
CREATE INDEX measures_parent ON measures(parent_id, id);

CREATE TABLE events (
  id            TEXT PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('policy', 'standard', 'plan', 'milestone', 'law')),
  date          TEXT NOT NULL,
  title_zh      TEXT NOT NULL,
  title_en      TEXT NOT NULL,
  issuer_zh     TEXT,
  issuer_en     TEXT,
  region_adcode TEXT REFERENCES regions(adcode), -- null: national, not one of Beijing's regions
  source_id     TEXT NOT NULL REFERENCES sources(id),
  quote         TEXT NOT NULL,
  notes_zh      TEXT,
  notes_en      TEXT
) WITHOUT ROWID;

-- The paragraphs of each source text that hold a quote (db/data/passages/), exactly as written.
-- `ordinal` numbers every non-empty paragraph (line) of the document from 1, so it gives document order.
CREATE TABLE passages (
  source_id TEXT NOT NULL REFERENCES sources(id),
  ordinal   INTEGER NOT NULL,
  text      TEXT NOT NULL,
  PRIMARY KEY (source_id, ordinal)
) WITHOUT ROWID;

-- Where each quote stands, worked out by the build: the passage (the first paragraph of its source that
-- holds it) and the quote's first character there, counted in Unicode code points from 0, so that
-- substr(text, quote_start + 1, length(quote)) is the quote. `item_id` is an id of the table `resource`.
CREATE TABLE quote_places (
  resource        TEXT NOT NULL CHECK (resource IN ('plans', 'statistics', 'goals', 'measures', 'events')),
  item_id         TEXT NOT NULL,
  source_id       TEXT NOT NULL,
  passage_ordinal INTEGER NOT NULL,
  quote_start     INTEGER NOT NULL,
  PRIMARY KEY (resource, item_id),
  FOREIGN KEY (source_id, passage_ordinal) REFERENCES passages(source_id, ordinal)
) WITHOUT ROWID;
-- A source's figures in document order.
CREATE INDEX quote_places_document ON quote_places(source_id, resource, passage_ordinal, quote_start, item_id);

-- One full-text index over everything searchable. SQLite's tokenizers cannot split Chinese
-- words (and trigram needs three characters), so the build writes each text pre-segmented
-- by SearchTerms.cs: `*bigrams` hold Latin words and numbers plus overlapping CJK character
-- pairs in order, `*unigrams` the single CJK characters. Queries are segmented the same way,
-- so a two-character word such as 党建 is one bigram token and matches exactly.
-- `head_*` is what a hit is about (an indicator's name and the clause that states the figure,
-- a goal's text, a measure's name), ranked well above a mention in passing in `bigrams`
-- (the whole quote, notes, descriptions).
CREATE VIRTUAL TABLE search_index USING fts5(
  resource UNINDEXED,   -- statistics, goals, measures, indicators, sources
  id UNINDEXED,
  title_zh UNINDEXED,   -- what a hit is called, for the result list
  title_en UNINDEXED,
  text UNINDEXED,       -- the original text searched, for highlighting
  head_bigrams,
  head_unigrams,
  bigrams,
  unigrams,
  tokenize = "unicode61 remove_diacritics 2 tokenchars '.'"
);

-- Words a reader types for the same thing (社工 and 社会工作), from db/data/synonyms.json: a query
-- word containing one member of a group also matches with each other member in its place.
CREATE TABLE synonyms (
  group_id INTEGER NOT NULL,
  term     TEXT NOT NULL,
  PRIMARY KEY (group_id, term)
) WITHOUT ROWID;

-- Data release notes, from db/releases.json (which is not hashed into the dataVersion, so that a
-- note can name the version it describes). `sequence` counts releases from 1, the oldest.
CREATE TABLE releases (
  data_version TEXT PRIMARY KEY,
  sequence     INTEGER NOT NULL UNIQUE,
  date         TEXT NOT NULL,
  summary_zh   TEXT NOT NULL,
  summary_en   TEXT NOT NULL
) WITHOUT ROWID;

-- What each release added, corrected or removed, one short item per row, in the note's order.
CREATE TABLE release_changes (
  data_version TEXT NOT NULL REFERENCES releases(data_version),
  kind         TEXT NOT NULL CHECK (kind IN ('added', 'corrected', 'removed')),
  ordinal      INTEGER NOT NULL,
  text_zh      TEXT NOT NULL,
  text_en      TEXT NOT NULL,
  PRIMARY KEY (data_version, kind, ordinal)
) WITHOUT ROWID;
