#!/usr/bin/env node
// `npm run compile-tests`: tsc -p . (src, test, bench -> out/), then removes compiled files in out/ whose
// source is gone, so a deleted or renamed test never keeps running from a stale out/**/*.test.js.
// (out/ is not wiped first: another run may be using it at the same moment.)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', root], { stdio: 'inherit' });

const out = join(root, 'out');
let removed = 0;
function sweep(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      sweep(p);
      if (readdirSync(p).length === 0) rmSync(p, { recursive: true });
      continue;
    }
    const m = /^(.*)\.js(\.map)?$/.exec(e.name);
    if (!m) continue;
    const src = join(root, relative(out, dir), m[1]);
    if (!['.ts', '.tsx', '.mts', '.cts'].some((x) => existsSync(src + x))) {
      rmSync(p);
      removed++;
    }
  }
}
if (existsSync(out)) sweep(out);
if (removed) console.log(`compile-tests: removed ${removed} stale file(s) from out/`);
process.exit(tsc.status ?? 1);
