// The pages for people (/, /statistics/{id}, /indicators/{id} …, each also under /en/), as a reader meets them in
// Debian's Chromium driven by playwright-core (no browser download): every page kind at 1280 and 375 px wide,
// checked by axe-core (no violation of impact serious or critical), photographed into artifacts/, without
// anything loaded from elsewhere or refused by the Content-Security-Policy; with JavaScript off, the figure,
// the quote and the citation are all there. BASE_URL is the running API. Run by tests/e2e/run.sh.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = process.env.BASE_URL;
if (!BASE) throw new Error('BASE_URL is not set (run tests/e2e/run.sh)');
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// One of each kind, in both languages. The statistic is "近90%", the hedged figure the pages must never show bare.
const STATISTIC = 'service-circles-coverage-2018-art2018';
const PAGES = [
  { kind: 'home', path: '/' },
  { kind: 'search', path: `/search?q=${encodeURIComponent('志愿者')}` },
  { kind: 'statistic', path: `/statistics/${STATISTIC}` },
  { kind: 'indicator', path: '/indicators/service-circles-coverage' },
  { kind: 'goal', path: '/goals/14th-goal-volunteers-21pct' },
  { kind: 'plan', path: '/plans/14th' },
  { kind: 'measure', path: '/measures/14th-project-5' },
  { kind: 'source', path: '/sources/pc2019' },
  { kind: 'region', path: '/regions/110000' },
  // A district's page (its map highlights it) and an indicator with district figures (a shaded map of the districts).
  { kind: 'region-district', path: '/regions/110105' },
  { kind: 'indicator-districts', path: '/indicators/community-public-welfare-spaces' },
  { kind: 'not-found', path: '/statistics/no-such-statistic', status: 404 },
].flatMap((p) => [
  { ...p, lang: 'zh-CN', url: `${BASE}${p.path}`, name: `${p.kind}-zh` },
  { ...p, lang: 'en', url: `${BASE}/en${p.path}`, name: `${p.kind}-en` },
]);
const WIDTHS = [1280, 375];
const SERIOUS = ['serious', 'critical'];

let browser;
let withScript;
let withoutScript;
const axeReport = [];

const launchOptions = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
};

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await chromium.launch(launchOptions);
  withScript = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await withScript.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  withoutScript = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
});

after(async () => {
  await writeFile(join(ARTIFACTS, 'axe.json'), JSON.stringify(axeReport, null, 2));
  await browser?.close();
});

/** Opens a page, noting every request outside the API's origin and every console error (a CSP refusal is one). */
async function open(context, url, width) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 900 });
  const outside = [];
  const errors = [];
  page.on('request', (r) => { if (!r.url().startsWith(`${BASE}/`)) outside.push(r.url()); });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const response = await page.goto(url, { waitUntil: 'load' });
  return { page, response, outside, errors };
}

for (const p of PAGES) {
  test(`${p.name}: ${p.path} in ${p.lang}, at ${WIDTHS.join(' and ')} px: axe finds nothing serious, nothing from elsewhere, nothing refused`, async () => {
    for (const width of WIDTHS) {
      const { page, response, outside, errors } = await open(withScript, p.url, width);
      try {
        assert.equal(response.status(), p.status ?? 200, `${p.url} answered ${response.status()}`);
        assert.equal(await page.getAttribute('html', 'lang'), p.lang);
        assert.equal(await page.locator('h1').count(), 1, 'one h1');
        // The stylesheet applied (the CSP lets the page's own one through): the header has its background.
        const background = await page.locator('header.site').evaluate((e) => getComputedStyle(e).backgroundColor);
        assert.notEqual(background, 'rgba(0, 0, 0, 0)', 'the stylesheet did not apply');
        // Readable at 375 px: nothing wider than the window (wide tables scroll inside their own box).
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${overflow}px wider than the window at ${width}px`);

        await page.evaluate(AXE); // by the DevTools protocol: not a script of the page, so the CSP does not apply
        const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        const serious = result.violations.filter((v) => SERIOUS.includes(v.impact));
        axeReport.push({
          page: p.name, width, url: p.url,
          violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help })),
        });
        assert.deepEqual(serious.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);

        await page.screenshot({ path: join(ARTIFACTS, `page-${p.name}-${width}.png`), fullPage: true });
        assert.deepEqual(outside, [], 'requests outside the API');
        // A 404 page's own status is reported as an error of the console; anything else is one.
        const unexpected = p.status === 404 ? errors.filter((e) => !/status of 404/.test(e)) : errors;
        assert.deepEqual(unexpected, [], 'console errors (a Content-Security-Policy refusal is one)');
      } finally {
        await page.close();
      }
    }
  });
}

test('the district maps: a district page highlights its district among 16 links; an indicator page shades districts with figures and hatches the rest', async () => {
  for (const lang of ['', '/en']) {
    const { page } = await open(withoutScript, `${BASE}${lang}/regions/110105`, 375);
    try {
      const map = page.getByRole('group', { name: lang ? "Beijing's districts" : '北京市各区' });
      assert.equal(await map.getByRole('link').count(), 16);
      assert.equal(await page.locator('svg.district-map a[aria-current="page"] path[data-adcode="110105"]').count(), 1);
      const box = await page.locator('svg.district-map').boundingBox();
      assert.ok(box.width > 200 && box.width <= 375, `the map is ${box.width}px wide at 375px`);
    } finally {
      await page.close();
    }
    const { page: indicator } = await open(withoutScript, `${BASE}${lang}/indicators/community-public-welfare-spaces`, 1280);
    try {
      assert.equal(await indicator.getByRole('img', { name: lang ? 'The newest actual figure of each district' : '各区最新的实际数据' }).count(), 1);
      assert.equal(await indicator.locator('svg.district-map path.shaded').count(), 1);
      assert.equal(await indicator.locator('svg.district-map path.no-data').count(), 15);
      assert.match(await indicator.locator('.map-legend').innerText(), lang ? /no data \(15 districts\)/ : /无数据\(15个区\)/);
    } finally {
      await indicator.close();
    }
  }
});

test('with JavaScript off, a statistic page still has the figure, its hedge in words, the quote and every citation', async () => {
  for (const lang of ['', '/en']) {
    const { page, response } = await open(withoutScript, `${BASE}${lang}/statistics/${STATISTIC}`, 375);
    try {
      assert.equal(response.status(), 200);
      assert.equal((await page.locator('.as-written').innerText()).trim(), '近90%');
      assert.equal((await page.locator('.in-words').innerText()).trim(), lang ? 'nearly 90%' : '近90%');
      assert.match(await page.locator('blockquote').innerText(), /覆盖率近90%/);
      for (const id of ['cite-zh', 'cite-en', 'cite-bibtex', 'cite-ris']) {
        const text = await page.locator(`#${id}`).innerText();
        assert.ok(text.includes(`/statistics/${STATISTIC}`), `${id} does not point to the page: ${text}`);
        assert.ok(await page.locator(`#${id}`).isVisible());
      }
      // Nothing that needs a script is offered: the copy buttons stay hidden.
      assert.equal(await page.locator('button.copy:visible').count(), 0);
      await page.screenshot({ path: join(ARTIFACTS, `page-statistic${lang ? '-en' : '-zh'}-no-javascript-375.png`), fullPage: true });
    } finally {
      await page.close();
    }
  }
});

test('with JavaScript on, the citation copy buttons appear and copy the citation', async () => {
  const { page, errors } = await open(withScript, `${BASE}/en/statistics/${STATISTIC}`, 1280);
  try {
    const button = page.locator('button[data-copy="cite-bibtex"]');
    await button.waitFor({ state: 'visible' });
    await button.click();
    await page.locator('.copy-status', { hasText: 'Copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, await page.locator('#cite-bibtex').textContent());
    assert.match(copied, /^@misc\{service-circles-coverage-2018-art2018,/);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
