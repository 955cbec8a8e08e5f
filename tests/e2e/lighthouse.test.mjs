// Lighthouse 12.2.3 (pinned; 13 needs Node.js 22) on two pages for people, in Debian's Chromium: a statistic's page
// in English and an indicator's page (with its chart) in Chinese, on a phone's screen (Lighthouse's default mobile
// emulation, with its simulated throttling, so the score depends on the page more than on this machine's speed):
// accessibility must score 1, best practices, SEO and performance at least 0.95. Reports: artifacts/lighthouse-*.json.
// BASE_URL is the running API. Run by tests/e2e/run.sh.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const BASE = process.env.BASE_URL;
if (!BASE) throw new Error('BASE_URL is not set (run tests/e2e/run.sh)');
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const MINIMUM = { accessibility: 1, 'best-practices': 0.95, seo: 0.95, performance: 0.95 };

let chrome;
before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await chrome?.kill();
});

for (const [name, path] of [['statistic-en', '/en/statistics/service-circles-coverage-2018-art2018'], ['indicator-zh', '/indicators/service-circles-coverage']]) {
  test(`Lighthouse, ${name}: accessibility 1, best practices, SEO and performance at least 0.95`, async () => {
    const result = await lighthouse(`${BASE}${path}`, {
      port: chrome.port, output: 'json', logLevel: 'error',
      onlyCategories: Object.keys(MINIMUM),
    });
    await writeFile(join(ARTIFACTS, `lighthouse-${name}.json`), result.report);
    const scores = Object.fromEntries(Object.entries(result.lhr.categories).map(([id, c]) => [id, c.score]));
    console.log(`lighthouse ${name}: ${JSON.stringify(scores)}`);
    const failing = Object.values(result.lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary')
      .map((a) => `${a.id}: ${a.title}`);
    for (const [category, minimum] of Object.entries(MINIMUM))
      assert.ok(scores[category] >= minimum, `${category} scored ${scores[category]} (at least ${minimum}); failing audits: ${failing.join('; ')}`);
  });
}
