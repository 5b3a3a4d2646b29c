#!/usr/bin/env node
// `npm run package` (after `npm run build:release`): packs the .vsix with the pinned @vscode/vsce
// (devDependency; no download, no check silenced), then prints its size and its file list (`vsce ls`),
// and fails if it is over 400 KB or ships something it should not (sourcemaps, sources, node_modules,
// the README's screenshots).
//
//   node scripts/package.mjs [--out FILE.vsix]     default: perfectpay-explorer-VERSION.vsix in the repository
//
// Everything the extension needs is bundled by esbuild, hence --no-dependencies.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const out = resolve(outIdx >= 0 ? args[outIdx + 1] : join(root, `${pkg.name}-${pkg.version}.vsix`));
const LIMIT_KB = 400;
const vsce = join(root, 'node_modules/@vscode/vsce/vsce');

function run(argv, capture) {
  const r = spawnSync(process.execPath, [vsce, ...argv], { cwd: root, encoding: 'utf8', stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit' });
  if (r.status !== 0) {
    console.error(`vsce ${argv.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
  return r.stdout;
}

run(['package', '--no-dependencies', '--out', out]);

const files = run(['ls', '--no-dependencies'], true).split('\n').map((l) => l.trim()).filter(Boolean);
const kb = statSync(out).size / 1024;
console.log(`\n${out}: ${kb.toFixed(1)} KB (limit ${LIMIT_KB} KB), ${files.length} files (vsce ls):`);
for (const f of files) {
  let size = '';
  try { size = `${(statSync(join(root, f)).size / 1024).toFixed(1).padStart(8)} KB`; } catch { /* listed but not on disk */ }
  console.log(`  ${f.padEnd(28)}${size}`);
}

const problems = [];
if (kb > LIMIT_KB) problems.push(`the .vsix is ${kb.toFixed(1)} KB, over ${LIMIT_KB} KB`);
const unwanted = files.filter((f) => /\.map$|^src\/|^test\/|^node_modules\/|^media\/screenshots\/|\.ts$/.test(f));
if (unwanted.length) problems.push(`it ships ${unwanted.join(', ')}`);
for (const f of ['dist/extension.js', 'dist/runtime.js', 'dist/scenarioRuntime.js', 'dist/agentRuntime.js', 'dist/webview.js', 'dist/webview-toolkit.js', 'dist/webview.css', 'package.json', 'package.nls.json', 'l10n/bundle.l10n.json', 'LICENSE', 'README.md', 'CHANGELOG.md', pkg.icon]) {
  if (!files.includes(f)) problems.push(`it lacks ${f}`);
}
if (problems.length) {
  console.error(`\npackage: ${problems.join('; ')}`);
  process.exit(1);
}
