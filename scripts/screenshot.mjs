#!/usr/bin/env node
// node scripts/screenshot.mjs URL [OUT.png] [WAIT_MS]
// Opens URL in headless Debian Chromium (playwright-core) at 1400x900, waits (default 12 s, enough for the
// VS Code workbench to load its extensions) and saves a PNG (default test-results/screenshots/url.png).
// Used to check that `npm start`'s URL really shows VS Code with the extension.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const [url, out = 'test-results/screenshots/url.png', wait = '12000'] = process.argv.slice(2);
if (!url) {
  console.error('usage: node scripts/screenshot.mjs URL [OUT.png] [WAIT_MS]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.PERFECTPAY_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url);
  await page.waitForTimeout(Number(wait));
  mkdirSync(dirname(resolve(out)), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`${out}  (title: ${await page.title()})`);
} finally {
  await browser.close();
}
