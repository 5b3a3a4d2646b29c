#!/usr/bin/env node
// `npm run typecheck`: tsc --noEmit over src, test and bench (tsconfig.json), then over the webview's browser
// code (webview/tsconfig.json) when there is any. Exit code 1 if either has errors.
// --webview-only: only the latter (scripts/test-all.sh, after compile-tests has checked the rest).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const run = (project) => {
  console.log(`tsc -p ${project} --noEmit`);
  return spawnSync(process.execPath, [tsc, '-p', join(root, project), '--noEmit'], { stdio: 'inherit' }).status === 0;
};
let ok = process.argv.includes('--webview-only') ? true : run('tsconfig.json');
let webviewTs = [];
try {
  webviewTs = readdirSync(join(root, 'webview'), { recursive: true }).filter((f) => /\.tsx?$/.test(String(f)));
} catch {
  // no webview folder yet
}
if (webviewTs.length) ok = run('webview/tsconfig.json') && ok;
else console.log('note: no webview/*.ts yet, skipping webview/tsconfig.json');
process.exit(ok ? 0 : 1);
