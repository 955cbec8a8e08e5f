// Prism (@stoplight/prism-cli) as a validating proxy in front of the API: each request and answer is
// checked against openapi/v1.json by a tool that is not ours, and each violation comes back in the
// `sl-violations` header. The requests: every GET operation with all its parameter examples (as Swagger
// UI's "Try it out" sends them), with each example alone, with none, and the documented problems (400,
// 404, 406) and 304. None of their answers may violate the document, and no example request either.
// BASE_URL is the running API. Run by tests/e2e/run.sh.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const BASE = process.env.BASE_URL;
if (!BASE) throw new Error('BASE_URL is not set (run tests/e2e/run.sh)');
const here = (path) => fileURLToPath(new URL(path, import.meta.url));

let prism;
let proxy;
let log = '';
const calls = []; // { url, status, violations: [{ location, severity, message }] }

const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
});
const text = (example) => (Array.isArray(example) ? example.join(',') : String(example));

function urlOf(template, parameters) {
  let url = template;
  const query = [];
  for (const p of parameters) {
    if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(text(p.example)));
    else if (p.in === 'query' && p.example !== undefined) query.push(`${p.name}=${encodeURIComponent(text(p.example))}`);
  }
  return query.length ? `${url}?${query.join('&')}` : url;
}

async function call(url, headers = {}, expect = undefined) {
  const response = await fetch(`${proxy}${url}`, { headers });
  await response.arrayBuffer();
  const violations = JSON.parse(response.headers.get('sl-violations') ?? '[]');
  calls.push({ url, status: response.status, violations });
  if (expect) assert.equal(response.status, expect, `GET ${url} through Prism answered ${response.status}`);
  return response;
}

before(async () => {
  const port = await freePort();
  proxy = `http://127.0.0.1:${port}`;
  prism = spawn(here('node_modules/.bin/prism'), ['proxy', here('../../openapi/v1.json'), BASE, '--host', '127.0.0.1', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  prism.stdout.on('data', (d) => { log += d; });
  prism.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 600 && !log.includes('Prism is listening'); i++) {
    if (prism.exitCode !== null) throw new Error(`prism exited: ${log.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(log.includes('Prism is listening'), `prism did not start within 60 s: ${log.slice(-2000)}`);

  const doc = await (await fetch(`${BASE}/openapi/v1.json`)).json();
  for (const [template, item] of Object.entries(doc.paths)) {
    const op = item.get;
    if (!op) continue;
    const parameters = op.parameters ?? [];
    const always = parameters.filter((p) => p.in === 'path' || p.required);
    await call(urlOf(template, parameters), {}, 200);
    await call(urlOf(template, always), {}, 200);
    for (const p of parameters.filter((q) => q.in === 'query' && !q.required && q.example !== undefined)) await call(urlOf(template, [...always, p]), {}, 200);
    if (template === '/healthz' || template === '/readyz') continue; // probes: no parameters, no rate limit, not cached
    const bare = urlOf(template, always);
    if (parameters.some((p) => p.name === 'limit')) await call(`${bare}${bare.includes('?') ? '&' : '?'}limit=99999`, {}, 400);
    if (op.responses['406']) await call(bare, { Accept: 'text/html' }, 406);
    const etag = (await fetch(`${BASE}${bare}`)).headers.get('etag');
    await call(bare, { 'If-None-Match': etag }, 304);
  }
  await call('/v1/statistics/no-such-statistic', {}, 404);
  await call('/v1/regions/119999', {}, 404);
});

after(() => prism?.kill('SIGTERM'));

const lines = (location, filter = () => true) => [...new Set(calls.filter(filter)
  .flatMap((c) => c.violations.filter((v) => v.location[0] === location).map((v) => `GET ${c.url} ${c.status}: ${v.location.join('.')} ${v.message}`)))].sort();

test('Prism proxy: no answer violates the document', (t) => {
  assert.ok(calls.length > 100, `only ${calls.length} requests made`);
  const violations = lines('response');
  for (const line of violations) t.diagnostic(line);
  t.diagnostic(`${calls.length} requests through Prism, ${violations.length} response violations`);
  assert.equal(violations.length, 0, `${violations.length} response violations`);
});

test('Prism proxy: every example request is valid, and an out-of-range limit is a request violation the API refuses too', (t) => {
  const limit = calls.filter((c) => /limit=99999/.test(c.url));
  assert.ok(limit.length > 10);
  for (const c of limit) {
    assert.equal(c.status, 400, c.url);
    assert.ok(c.violations.some((v) => v.location.join('.') === 'request.query.limit'), `Prism saw no violation in ${c.url}`);
  }
  const violations = lines('request', (c) => !/limit=99999/.test(c.url));
  for (const line of violations) t.diagnostic(line);
  assert.equal(violations.length, 0, `${violations.length} request violations in example requests`);
});
