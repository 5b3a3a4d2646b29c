#!/usr/bin/env node
// `npm run package:cli` (after `node esbuild.mjs --production --only cli`): the `perfectpay` tool as an npm
// package tarball, perfectpay-cli-<version>.tgz, installable with only Node 20 (`npm install -g ./perfectpay-cli-….tgz`,
// offline too: it has no dependencies, dist/perfectpay.js is self-contained).
//
//   node scripts/package-cli.mjs [--out DIR]     default: the repository's folder
//
// A staging folder gets its own package.json (with `bin`), the bundle, the CLI's README (src/cli/README.md)
// and the LICENSE; `npm pack` packs it. Prints the tarball's path (last line) and its files.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const outDir = resolve(outIdx >= 0 ? args[outIdx + 1] : root);
const bundle = join(root, 'dist', 'perfectpay.js');
if (!existsSync(bundle)) {
  console.error('package-cli: dist/perfectpay.js is missing: run `node esbuild.mjs --only cli` (or `npm run package:cli`) first');
  process.exit(1);
}
if (!readFileSync(bundle, 'utf8').startsWith('#!/usr/bin/env node\n')) {
  console.error('package-cli: dist/perfectpay.js has no #!/usr/bin/env node line');
  process.exit(1);
}

const stage = mkdtempSync(join(tmpdir(), 'perfectpay-cli-'));
try {
  const manifest = {
    name: 'perfectpay-cli',
    version: pkg.version,
    description: 'PerfectPay outside VS Code: a stateful local PerfectPay sandbox, and scenario files run in CI (JUnit XML).',
    license: pkg.license,
    bin: { perfectpay: 'perfectpay.js' },
    files: ['perfectpay.js', 'README.md', 'LICENSE'],
    engines: { node: '>=20' },
    repository: pkg.repository,
    homepage: pkg.homepage,
    bugs: pkg.bugs,
    keywords: ['perfectpay', 'payments', 'sandbox', 'mock', 'testing', 'ci', 'junit'],
  };
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  copyFileSync(bundle, join(stage, 'perfectpay.js'));
  chmodSync(join(stage, 'perfectpay.js'), 0o755);
  copyFileSync(join(root, 'src', 'cli', 'README.md'), join(stage, 'README.md'));
  copyFileSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir], { cwd: stage, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) {
    console.error(`package-cli: npm pack failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
  const [info] = JSON.parse(r.stdout);
  const file = join(outDir, info.filename);
  const problems = [];
  const names = info.files.map((f) => f.path).sort();
  for (const f of ['LICENSE', 'README.md', 'package.json', 'perfectpay.js']) if (!names.includes(f)) problems.push(`it lacks ${f}`);
  if (names.length !== 4) problems.push(`it ships more than it should: ${names.join(', ')}`);
  console.log(`${info.name}@${info.version}: ${(statSync(file).size / 1024).toFixed(1)} KB packed, ${(info.unpackedSize / 1024).toFixed(1)} KB unpacked`);
  for (const f of info.files) console.log(`  ${f.path.padEnd(16)}${(f.size / 1024).toFixed(1).padStart(8)} KB`);
  if (problems.length) {
    console.error(`package-cli: ${problems.join('; ')}`);
    process.exit(1);
  }
  console.log(file);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
