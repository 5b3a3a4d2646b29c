#!/usr/bin/env node
// `npm run test:soak -- N [--beside]`: is `npm test` green every time, as a new contributor's first run must be?
// Clones HEAD afresh (what is committed, nothing else), runs `npm ci` and installs code-server there once, then
// runs `npm test` N times (default 3) one after another, and prints one line per run: its exit status, its
// duration and the names of the tests that failed. With --beside, a second fresh clone runs its own `npm test`
// at the same time as each run (a busy machine, as when two people or two CI jobs share it); its result is on
// the same line. Exits 1 if any run failed (a run beside that failed counts too), 2 for bad arguments.
// The logs of every run stay in the printed folder.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const usage = 'usage: npm run test:soak -- [N] [--beside]   (N: how many runs, 1 to 100, default 3)';
let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { beside: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
} catch (e) {
  console.error(`${e.message}\n${usage}`);
  process.exit(2);
}
if (parsed.values.help) {
  console.log(usage);
  process.exit(0);
}
const runs = parsed.positionals.length ? Number(parsed.positionals[0]) : 3;
if (parsed.positionals.length > 1 || !Number.isInteger(runs) || runs < 1 || runs > 100) {
  console.error(`N must be a whole number from 1 to 100, not "${parsed.positionals.join(' ')}"\n${usage}`);
  process.exit(2);
}

const repo = fileURLToPath(new URL('..', import.meta.url));
const git = (...args) => spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).stdout.trim();
const head = git('rev-parse', 'HEAD');
if (git('status', '--porcelain')) console.log('note: the working tree has uncommitted changes; the soak runs HEAD without them');
const work = mkdtempSync(join(tmpdir(), 'perfectpay-soak-'));
console.log(`soak: ${runs} run(s) of npm test on ${head.slice(0, 10)}${parsed.values.beside ? ', each with another npm test beside it' : ''}; logs in ${work}`);

/** Runs `cmd args` in `cwd`, its output to `log`; resolves with the exit code. */
function run(cmd, args, cwd, log) {
  return new Promise((resolve) => {
    const chunks = [];
    const child = spawn(cmd, args, { cwd, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => chunks.push(d));
    child.stderr.on('data', (d) => chunks.push(d));
    child.on('close', (code, signal) => {
      writeFileSync(log, Buffer.concat(chunks));
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/** A fresh clone of HEAD with its dependencies and code-server installed, as CI makes one. */
async function freshClone(name) {
  const dir = join(work, name);
  const cloned = spawnSync('git', ['clone', '-q', '--no-local', repo, dir], { encoding: 'utf8' });
  if (cloned.status !== 0) throw new Error(`git clone failed: ${cloned.stderr}`);
  spawnSync('git', ['-C', dir, 'checkout', '-q', head]);
  for (const [what, cmd, args] of [['npm ci', 'npm', ['ci', '--no-audit', '--no-fund']], ['code-server', 'bash', ['scripts/install-code-server.sh']]]) {
    const log = join(work, `${name}-${what.replace(/\W+/g, '-')}.log`);
    const code = await run(cmd, args, dir, log);
    if (code !== 0) throw new Error(`${what} failed in ${dir} (exit ${code}); see ${log}`);
  }
  return dir;
}

/** The names of the failed tests in an `npm test` log (mocha's "N failing" lists), and the failed steps. */
function failedTests(text) {
  const names = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\d+ failing\s*$/.test(lines[i])) continue;
    for (let j = i + 1; j < lines.length; j++) {
      const start = /^\s{2}(\d+)\) (.*)$/.exec(lines[j]);
      if (!start) {
        if (/^=== /.test(lines[j])) break;
        continue;
      }
      // "  1) suite" then deeper-indented title lines; the last ends with ":".
      const parts = [start[2].trim()];
      while (!parts[parts.length - 1].endsWith(':') && j + 1 < lines.length && /^\s{5,}\S/.test(lines[j + 1])) parts.push(lines[++j].trim());
      names.push(parts.join(' › ').replace(/:$/, ''));
    }
  }
  for (const m of text.matchAll(/^=== (\S+) FAILED \(exit (\d+)\) ===$/gm)) if (!names.some((n) => n.startsWith(`[${m[1]}]`))) names.push(`[${m[1]} failed]`);
  return [...new Set(names)];
}

const describe = (code, log) => (code === 0 ? 'ok' : `FAILED (exit ${code}); failed: ${failedTests(readFileSync(log, 'utf8')).join('; ') || '(see the log)'}`);

let clone;
let besideClone;
try {
  console.log('soak: cloning HEAD, npm ci, code-server...');
  clone = await freshClone('repo');
  if (parsed.values.beside) besideClone = await freshClone('beside');
} catch (e) {
  console.error(`soak: ${e.message}`);
  process.exit(1);
}

let failures = 0;
for (let i = 1; i <= runs; i++) {
  const t0 = Date.now();
  const log = join(work, `run-${i}.log`);
  const besideLog = join(work, `run-${i}-beside.log`);
  const [code, besideCode] = await Promise.all([
    run('npm', ['test'], clone, log),
    besideClone ? run('npm', ['test'], besideClone, besideLog) : Promise.resolve(undefined),
  ]);
  const secs = Math.round((Date.now() - t0) / 1000);
  if (code !== 0) failures++;
  if (besideCode !== undefined && besideCode !== 0) failures++;
  const beside = besideCode === undefined ? '' : `  | beside: ${describe(besideCode, besideLog)}`;
  console.log(`run ${i}/${runs}  ${String(secs).padStart(4)} s  ${describe(code, log)}${beside}`);
}
console.log(`soak: ${failures === 0 ? `all ${runs} run(s) green` : `${failures} failed run(s)`}; logs in ${work}`);
process.exit(failures === 0 ? 0 : 1);
