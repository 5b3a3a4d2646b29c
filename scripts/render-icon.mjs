#!/usr/bin/env node
// node scripts/render-icon.mjs [SRC.svg] [OUT.png] [SIZE]
// Renders the marketplace icon media/icon.svg (the activity-bar mark of media/perfectpay.svg on a rounded
// square) to media/icon.png, 128×128 with a transparent background, in headless Debian Chromium
// (playwright-core, already a devDependency). The PNG is committed; run this after changing the SVG.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [src = join(root, 'media/icon.svg'), out = join(root, 'media/icon.png'), sizeArg = '128'] = process.argv.slice(2);
const size = Number(sizeArg);
const svg = readFileSync(src, 'utf8');

const browser = await chromium.launch({
  executablePath: process.env.PERFECTPAY_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
  await page.setContent(
    `<!doctype html><html><body style="margin:0;background:transparent">` +
      `<img id="i" width="${size}" height="${size}" style="display:block" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}">` +
      `</body></html>`,
  );
  await page.locator('#i').evaluate((img) => img.decode());
  const png = await page.locator('#i').screenshot({ omitBackground: true, type: 'png' });
  writeFileSync(out, png);
  console.log(`${out}: ${size}×${size}, ${png.length} bytes`);
} finally {
  await browser.close();
}
