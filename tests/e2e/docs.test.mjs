// Swagger UI at /docs, in Debian's Chromium driven by playwright-core (no browser download).
// BASE_URL is the running API, e.g. http://127.0.0.1:5123. Run by tests/e2e/run.sh.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = process.env.BASE_URL;
if (!BASE) throw new Error('BASE_URL is not set (run tests/e2e/run.sh)');
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

let userDataDir;
let context;
let page;
const requests = [];
const pageErrors = [];

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  // A fresh profile every run; playwright passes it as --user-data-dir.
  userDataDir = await mkdtemp(join(tmpdir(), 'e2e-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 1400 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(`${BASE}/docs`);
  // Swagger UI has rendered when the operations of the document are on the page.
  await page.locator('.opblock').first().waitFor();
});

after(async () => {
  await context?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

test('Swagger UI at /docs shows every GET operation of /openapi/v1.json under /v1 and /healthz', async () => {
  const response = await fetch(`${BASE}/openapi/v1.json`);
  assert.equal(response.status, 200);
  const doc = await response.json();
  const expected = Object.entries(doc.paths)
    .filter(([path, item]) => item.get && (path === '/healthz' || path === '/v1' || path.startsWith('/v1/')))
    .map(([path, item]) => ({ path, operationId: item.get.operationId, tag: item.get.tags?.[0] ?? 'default' }));
  assert.ok(expected.length >= 20, `only ${expected.length} GET operations in the document`);

  const title = await page.locator('.info .title').textContent();
  assert.match(title ?? '', new RegExp(doc.info.title));

  const rendered = await page.$$eval('.opblock', (blocks) => blocks.map((b) => ({
    id: b.id,
    method: b.querySelector('.opblock-summary-method')?.textContent?.trim(),
    path: b.querySelector('.opblock-summary-path')?.getAttribute('data-path'),
    // The visible path text (Swagger UI puts zero-width spaces in it to allow line breaks).
    text: b.querySelector('.opblock-summary-path')?.textContent?.replace(/\u200b/g, '').trim(),
    visible: b.getBoundingClientRect().height > 0,
  })));
  const missing = expected.filter((op) => !rendered.some((r) =>
    r.method === 'GET' && r.path === op.path && r.text === op.path && r.visible
    // Swagger UI names each operation's block after its tag and operationId.
    && r.id === `operations-${op.tag}-${op.operationId}`));
  assert.deepEqual(missing, [], `not shown: ${missing.map((m) => `GET ${m.path} (${m.operationId})`).join(', ')}`);
});

test('Try it out: GET /v1/statistics with its pre-filled examples and limit=2 answers 200 with data', async () => {
  const op = page.locator('#operations-Statistics-ListStatistics');
  await op.scrollIntoViewIfNeeded();
  await op.locator('.opblock-summary-control').click();
  await op.locator('button.try-out__btn').click();
  const limit = op.locator('tr[data-param-name="limit"] input');
  await limit.fill('2');
  await op.locator('button.execute').click();

  const live = op.locator('.live-responses-table');
  await live.waitFor();
  const requestUrl = (await op.locator('.request-url pre').textContent())?.trim();
  // Swagger UI sends every parameter's example (OpenApi/ParameterExamples.cs) with the limit typed in.
  assert.ok(requestUrl?.startsWith(`${BASE}/v1/statistics?`), requestUrl);
  const sent = new URL(requestUrl).searchParams;
  assert.equal(sent.get('limit'), '2');
  assert.equal(sent.get('indicator'), 'registered-volunteers,certified-social-workers');
  const status = (await live.locator('tr.response .response-col_status').first().textContent())?.trim();
  assert.equal(status, '200');
  const body = await live.locator('.response-col_description .highlight-code pre').first().textContent();
  assert.match(body ?? '', /"dataVersion"/);
  const json = JSON.parse(body ?? '');
  assert.ok(json.data.length >= 1 && json.data.length <= 2, `${json.data.length} items`);
  assert.equal(json.meta.count, json.data.length);
  assert.equal(typeof json.meta.dataVersion, 'string');

  // The picture: the filled-in limit, Execute, the request URL and the live 200 with its JSON.
  await limit.evaluate((e) => e.closest('tr').scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(ARTIFACTS, 'docs.png') });
});

test('Swagger UI loads nothing from outside the API (assets embedded, no CDN) and throws no errors', async () => {
  assert.ok(requests.length > 0);
  const outside = requests.filter((u) => !u.startsWith(`${BASE}/`) && !u.startsWith('data:'));
  assert.deepEqual(outside, []);
  assert.deepEqual(pageErrors, []);
});

// Runs last: its cross-origin request would count as "from outside" in the test above.
test('In the browser: a page of 100 arrives compressed, and an app on another origin reads it and its headers', async () => {
  const url = `${BASE}/v1/statistics?limit=100`;
  const same = await page.evaluate(async (u) => {
    const response = await fetch(u, { cache: 'no-store' });
    const body = await response.json();
    const timing = performance.getEntriesByName(u).pop();
    return { status: response.status, count: body.data.length, encoded: timing.encodedBodySize, decoded: timing.decodedBodySize };
  }, url);
  assert.equal(same.status, 200);
  assert.equal(same.count, 100);
  // Chromium asks for Brotli; what crossed the wire is a small part of the JSON it decoded.
  assert.ok(same.encoded > 0 && same.encoded * 5 < same.decoded, `encoded ${same.encoded} bytes, decoded ${same.decoded}`);

  // localhost and 127.0.0.1 are different origins: this is a map app's cross-origin request.
  const other = url.replace('127.0.0.1', 'localhost');
  assert.notEqual(other, url, 'BASE_URL is expected on 127.0.0.1');
  const cross = await page.evaluate(async (u) => {
    const response = await fetch(u, { cache: 'no-store' });
    const body = await response.json();
    return { status: response.status, count: body.data.length, etag: response.headers.get('ETag'), link: response.headers.get('Link') };
  }, other);
  assert.equal(cross.status, 200);
  assert.equal(cross.count, 100);
  assert.match(cross.etag ?? '', /^"[0-9a-f]+-[0-9a-f]+-br"$/);
  assert.match(cross.link ?? '', /rel="next"/);
});
