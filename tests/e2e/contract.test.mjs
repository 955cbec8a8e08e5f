// Do the API's JSON answers have the shape /openapi/v1.json gives them? What a generated client
// relies on: every field documented, of the documented type, and null only where a type union allows it
// (OpenAPI 3.1: `type: [..., "null"]` or `oneOf: [{$ref}, {type: "null"}]`).
// BASE_URL is the running API. Run by tests/e2e/run.sh.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';

const BASE = process.env.BASE_URL;
if (!BASE) throw new Error('BASE_URL is not set (run tests/e2e/run.sh)');

let doc;
const problems = []; // { kind, where: the schema property ("PlanResponse.notes") or the URL's path, what }

/** Does the schema admit null: `type: [..., "null"]`, or a `oneOf`/`anyOf` with a member that does. */
const admitsNull = (schema) => [schema.type].flat().includes('null') || [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].some(admitsNull);

/** Checks value against an OpenAPI 3.1 schema; `where` names the schema property being checked. */
function check(value, schema, where) {
  let name;
  if (schema.$ref) schema = doc.components.schemas[name = schema.$ref.split('/').pop()];
  if (value === null) {
    if (!admitsNull(schema)) problems.push({ kind: 'null', where, what: `null, but the schema does not allow it${name ? ` (a $ref to ${name})` : ''}` });
    return;
  }
  for (const part of schema.allOf ?? []) check(value, part, where);
  // "this, or null": a value that is not null is checked against the member that is not.
  const union = schema.oneOf ?? schema.anyOf;
  if (union) return check(value, union.find((s) => !admitsNull(s)) ?? {}, where);
  const owner = name ?? where;
  if (schema.enum && !schema.enum.includes(value)) problems.push({ kind: 'type', where, what: `${JSON.stringify(value)} not in enum` });
  const type = [schema.type ?? (schema.properties ? 'object' : undefined)].flat().find((t) => t !== 'null');
  const actual = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  if (type === 'object') {
    if (actual !== 'object') return problems.push({ kind: 'type', where, what: `${actual}, documented object` });
    for (const key of schema.required ?? []) if (!(key in value)) problems.push({ kind: 'type', where: `${owner}.${key}`, what: 'required, missing' });
    for (const [key, v] of Object.entries(value)) {
      const property = schema.properties?.[key];
      if (property) check(v, property, `${owner}.${key}`);
      else if (typeof schema.additionalProperties === 'object') check(v, schema.additionalProperties, `${owner}.${key}`);
      else if (schema.additionalProperties === false) problems.push({ kind: 'type', where: `${owner}.${key}`, what: 'not documented' });
    }
  } else if (type === 'array') {
    if (actual !== 'array') return problems.push({ kind: 'type', where, what: `${actual}, documented array` });
    for (const item of value) check(item, schema.items ?? {}, `${owner}[]`);
  } else if (type === 'number') {
    if (typeof value !== 'number') problems.push({ kind: 'type', where, what: `${actual}, documented number` });
  } else if (type && type !== actual) {
    problems.push({ kind: 'type', where, what: `${actual}, documented ${type}` });
  }
}

before(async () => {
  doc = await (await fetch(`${BASE}/openapi/v1.json`)).json();
  const first = async (path) => (await (await fetch(`${BASE}${path}?limit=1&fields=id`)).json()).data[0].id;
  const urls = [
    ['/healthz', '/healthz'], ['/v1', '/v1'],
    ...['sources', 'plans', 'goals', 'measures', 'indicators', 'statistics', 'events', 'downloads']
      .map((c) => [`/v1/${c}`, `/v1/${c}?limit=1000`]),
    ['/v1/statistics', '/v1/statistics?facet=indicator,region,kind,comparator,source,plan&limit=1'],
    ['/v1/regions', '/v1/regions'], ['/v1/regions/{adcode}', '/v1/regions/110105'],
    ['/v1/search', '/v1/search?q=%E5%BF%97%E6%84%BF%E8%80%85'], ['/v1/search', '/v1/search?q=volunteers'],
  ];
  for (const c of ['sources', 'plans', 'goals', 'measures', 'indicators', 'statistics', 'events']) {
    urls.push([`/v1/${c}/{id}`, `/v1/${c}/${encodeURIComponent(await first(`/v1/${c}`))}`]);
  }
  urls.push(['/v1/indicators/{id}/series', `/v1/indicators/${await first('/v1/indicators')}/series`]);
  // Every goal and plan in full: nullable parts (targets, progress) appear only on some.
  for (const c of ['goals', 'plans']) {
    const ids = (await (await fetch(`${BASE}/v1/${c}?limit=1000&fields=id`)).json()).data.map((x) => x.id);
    for (const id of ids) urls.push([`/v1/${c}/{id}`, `/v1/${c}/${encodeURIComponent(id)}`]);
  }
  for (const [template, url] of urls) {
    const response = await fetch(`${BASE}${url}`);
    assert.equal(response.status, 200, url);
    const schema = doc.paths[template].get.responses['200'].content['application/json'].schema;
    check(await response.json(), schema, `GET ${template}`);
  }
});

function report(kind) {
  const seen = new Set();
  return problems.filter((p) => p.kind === kind)
    .map((p) => `${p.where}: ${p.what}`)
    .filter((line) => !seen.has(line) && seen.add(line))
    .sort();
}

test('JSON answers: every field documented, of the documented type', () => {
  assert.deepEqual(report('type'), []);
});

// Properties that are a reference to another schema (LocalizedText, GoalTarget, ProgressResponse,
// LatestActual) can be null; the document says so with oneOf [$ref, {type: null}], so generated
// clients type them as nullable.
test('JSON answers: null only where the document allows it', (t) => {
  const nulls = report('null');
  for (const line of nulls) t.diagnostic(line);
  Error.stackTraceLimit = 0; // the diagnostics above say where; a stack would not
  assert.equal(nulls.length, 0, `${nulls.length} properties are null in answers but the document does not allow null`);
});
