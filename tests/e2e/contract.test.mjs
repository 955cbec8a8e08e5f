// Do the API's answers say what /openapi/v1.json says of them, read as strictly as the specification
// reads? Each schema is applied by Ajv as JSON Schema 2020-12 (the dialect of OpenAPI 3.1): a null is
// accepted only where a type union allows one, every required property must be there, no undocumented
// one may be (additionalProperties: false), and every limit (enum, pattern, format) holds. Besides the
// bodies: each status must be one the operation documents, each Content-Type one its response lists, and
// each header it declares required must be sent, in its schema. The answers asked for: every GET
// operation with all its parameter examples (as Swagger UI's "Try it out" sends them, `fields=` examples
// included, so trimmed items are checked too) and with none, every collection in full, every goal and
// plan by id, facets, searches, and the problems (400, 404, 406) each operation lists.
// BASE_URL is the running API. Run by tests/e2e/run.sh.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020.js';

const BASE = process.env.BASE_URL;
if (!BASE) throw new Error('BASE_URL is not set (run tests/e2e/run.sh)');

let doc;
const findings = []; // { kind: 'null' | 'schema' | 'http', line }
const checked = { answers: 0, operations: new Set(), statuses: new Set() };

/** Ajv with OpenAPI 3.1's own schema keywords and formats; the document is one schema, addressed by JSON pointer. */
function validatorFor(document) {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  // The parts of an OpenAPI document around its schemas, and the OpenAPI vocabulary of a schema (annotations).
  for (const keyword of ['openapi', 'info', 'paths', 'components', 'tags', 'servers', 'webhooks', 'security', 'jsonSchemaDialect', 'example', 'xml', 'externalDocs', 'discriminator']) {
    ajv.addKeyword({ keyword });
  }
  ajv.addFormat('int32', { type: 'number', validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: (n) => Number.isFinite(n) });
  ajv.addSchema({ ...document, $id: DOC });
  const cache = new Map();
  return (pointer) => {
    if (!cache.has(pointer)) cache.set(pointer, ajv.compile({ $ref: `${DOC}#${pointer}` }));
    return cache.get(pointer);
  };
}

// The document's id for Ajv: where the API serves it.
const DOC = 'https://opengovernanceapi.invalid/openapi/v1.json';
const escape = (s) => s.replaceAll('~', '~0').replaceAll('/', '~1');
const at = (value, pointer) => pointer.split('/').slice(1).reduce((v, k) => v?.[k.replaceAll('~1', '/').replaceAll('~0', '~')], value);
const note = (kind, line) => findings.push({ kind, line });

/** An example as Swagger UI sends it: a list comma-separated (style form, explode false). */
const text = (example) => (Array.isArray(example) ? example.join(',') : String(example));

/** GETs url and checks the answer against the operation `template` documents. */
async function verify(validate, template, url, { accept, ifNoneMatch, expect } = {}) {
  const headers = { ...(accept ? { Accept: accept } : {}), ...(ifNoneMatch ? { 'If-None-Match': ifNoneMatch } : {}) };
  const response = await fetch(`${BASE}${url}`, { headers });
  const status = String(response.status);
  const body = await response.arrayBuffer();
  if (expect) assert.equal(status, expect, `GET ${url} answered ${status}, expected ${expect}`);
  const where = `GET ${template} ${status}`;
  checked.answers++;
  checked.operations.add(template);
  checked.statuses.add(status);
  const responses = doc.paths[template].get.responses;
  if (!responses[status]) return note('http', `${where}: status not documented (${url})`);
  const documented = responses[status];
  const base = `/paths/${escape(template)}/get/responses/${status}`;

  for (const [name, header] of Object.entries(documented.headers ?? {})) {
    const definition = header.$ref ? doc.components.headers[header.$ref.split('/').pop()] : header;
    const sent = response.headers.get(name);
    if (sent === null) {
      if (definition.required) note('http', `${where}: required header ${name} not sent (${url})`);
      continue;
    }
    const value = definition.schema?.type === 'integer' ? Number(sent) : sent;
    const schemaPointer = header.$ref ? `/components/headers/${escape(name)}/schema` : `${base}/headers/${escape(name)}/schema`;
    const valid = validate(schemaPointer);
    if (!valid(value)) note('schema', `${where}: header ${name}: ${JSON.stringify(sent)} ${valid.errors.map((e) => e.message).join('; ')}`);
  }

  if (body.byteLength === 0) return;
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim();
  if (!documented.content?.[mediaType]) return note('http', `${where}: Content-Type ${mediaType} not documented (${url})`);
  if (!/json$/.test(mediaType) || !documented.content[mediaType].schema) return;
  const json = JSON.parse(new TextDecoder().decode(body));
  const valid = validate(`${base}/content/${escape(mediaType)}/schema`);
  if (valid(json)) return;
  for (const error of valid.errors) {
    const value = at(json, error.instancePath);
    // Where in the document: the schema the rule belongs to ("StatisticResponse/properties/notes/oneOf").
    const schema = error.schemaPath.replace(DOC, '').replace(/^#?\/components\/schemas\//, '').replace(/^#\/paths\/.*\/schema/, template);
    const instance = error.instancePath.replace(/\/\d+(?=\/|$)/g, '/*');
    const shown = value === null ? 'null' : typeof value === 'object' ? (Array.isArray(value) ? 'an array' : 'an object') : JSON.stringify(value).slice(0, 60);
    note(value === null ? 'null' : 'schema', `${where}: ${instance || '(body)'}: ${shown} ${error.message} [${schema}]`);
  }
}

/** The operation's URL with the given parameters' examples. */
function urlOf(template, parameters) {
  let url = template;
  const query = [];
  for (const p of parameters) {
    if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(text(p.example)));
    else if (p.in === 'query' && p.example !== undefined) query.push(`${p.name}=${encodeURIComponent(text(p.example))}`);
  }
  return query.length ? `${url}?${query.join('&')}` : url;
}

/** A path parameter's value that names nothing, within its schema (so the answer is the 404, not a 400). */
const unknown = (p) => ({ adcode: '119999', dataVersion: '0000000000000000', file: 'no-such-file.csv' })[p.name] ?? 'no-such-item';

before(async () => {
  doc = await (await fetch(`${BASE}/openapi/v1.json`)).json();
  assert.match(doc.openapi, /^3\.1\./);
  const validate = validatorFor(doc);
  for (const [template, item] of Object.entries(doc.paths)) {
    const op = item.get;
    if (!op) continue;
    const parameters = op.parameters ?? [];
    const always = parameters.filter((p) => p.in === 'path' || p.required);
    await verify(validate, template, urlOf(template, parameters), { expect: '200' });
    await verify(validate, template, urlOf(template, always), { expect: '200' });
    if (template === '/healthz' || template === '/readyz') continue; // probes: no parameters, no rate limit, not cached
    const bare = urlOf(template, always);
    await verify(validate, template, `${bare}${bare.includes('?') ? '&' : '?'}no-such-parameter=1`, { expect: '400' });
    if (op.responses['406']) await verify(validate, template, bare, { accept: 'text/html', expect: '406' });
    if (parameters.some((p) => p.in === 'path')) {
      const missing = urlOf(template, parameters.filter((p) => p.in === 'path').map((p) => ({ ...p, example: unknown(p) })));
      await verify(validate, template, missing, { expect: '404' });
    }
    if (parameters.some((p) => p.name === 'limit') && !parameters.some((p) => p.in === 'path' || p.required)) {
      await verify(validate, template, `${template}?limit=1000`, { expect: '200' });
      await verify(validate, template, `${template}?limit=0`, { expect: '400' });
    }
  }
  // Every goal and plan in full: nullable parts (targets, progress, baselines) appear only on some.
  for (const c of ['goals', 'plans']) {
    const ids = (await (await fetch(`${BASE}/v1/${c}?limit=1000&fields=id`)).json()).data.map((x) => x.id);
    for (const id of ids) await verify(validate, `/v1/${c}/{id}`, `/v1/${c}/${encodeURIComponent(id)}`, { expect: '200' });
  }
  await verify(validate, '/v1/statistics', '/v1/statistics?facet=indicator,region,kind,comparator,source,plan&limit=1', { expect: '200' });
  await verify(validate, '/v1/statistics', '/v1/statistics?fields=id,plan,notes&limit=1000', { expect: '200' });
  await verify(validate, '/v1/search', '/v1/search?q=%E5%BF%97%E6%84%BF%E8%80%85', { expect: '200' });
  await verify(validate, '/v1/search', '/v1/search?q=volunteers&limit=1000', { expect: '200' });
  for (const [template, url] of [['/v1/statistics', '/v1/statistics?limit=2'], ['/v1/statistics/{id}', '/v1/statistics/registered-volunteers-2019-01-09-pc2019']]) {
    const etag = (await fetch(`${BASE}${url}`)).headers.get('etag');
    await verify(validate, template, url, { ifNoneMatch: etag, expect: '304' });
  }
});

function report(kinds) {
  return [...new Set(findings.filter((f) => kinds.includes(f.kind)).map((f) => f.line))].sort();
}

test('answers: every operation and status exercised', () => {
  const operations = Object.values(doc.paths).filter((p) => p.get).length;
  assert.equal(checked.operations.size, operations, 'an operation was not called');
  assert.deepEqual([...checked.statuses].sort(), ['200', '304', '400', '404', '406']);
  assert.ok(checked.answers > 150, `only ${checked.answers} answers checked`);
});

test('answers: statuses, media types and required headers as documented', (t) => {
  const lines = report(['http']);
  for (const line of lines) t.diagnostic(line);
  assert.equal(lines.length, 0, `${lines.length} answers differ from their documented status, media type or headers`);
});

test('JSON answers and headers: valid against their schemas (JSON Schema 2020-12)', (t) => {
  const lines = report(['schema']);
  for (const line of lines) t.diagnostic(line);
  assert.equal(lines.length, 0, `${lines.length} values are invalid against the document's schemas`);
});

// A null the document does not allow fails a strict client (a generated one types the property as
// never null): the document must say "or null" (type: [..., "null"], oneOf [$ref, {type: null}]).
test('JSON answers: null only where the document allows it', (t) => {
  const lines = report(['null']);
  for (const line of lines) t.diagnostic(line);
  assert.equal(lines.length, 0, `${lines.length} properties are null in answers but the document does not allow null`);
});
