/**
 * The `perfectpay` CLI for `npm run bench` (section 11), as processes the way CI runs it (dist/perfectpay.js,
 * the release build):
 *  - from the process's start to the sandbox's first answer (`perfectpay sandbox` on a free port, GET /health
 *    tried every 2 ms until it answers), against Node's own start (`node -e 0`), fresh processes each;
 *  - the 30-card test-card matrix's wall time, `perfectpay matrix --sandbox` (its own sandbox started and
 *    stopped), side by side with the Testing view's run of it measured in real VS Code by the
 *    extension-host suite (test/vscode/cli.test.ts writes test-results/matrix-ui.json).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'perfectpay.js');
const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Spawns `perfectpay sandbox` and resolves the ms from the spawn to its first answer to GET /health. */
async function firstAnswer(): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, 'sandbox', '--port', String(port), '--quiet'], { stdio: 'ignore' });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        await res.arrayBuffer();
        if (res.ok) return performance.now() - t0;
      } catch {
        // Not listening yet.
      }
      if (child.exitCode !== null) throw new Error(`perfectpay sandbox exited with ${child.exitCode}`);
      if (performance.now() - t0 > 20_000) throw new Error('perfectpay sandbox did not answer within 20 s');
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}

export async function benchCli(): Promise<void> {
  console.log('\n11. The perfectpay CLI (dist/perfectpay.js, fresh processes)');
  if (!fs.existsSync(CLI)) {
    console.log('   dist/perfectpay.js is not built: skipped');
    return;
  }
  console.log(`   dist/perfectpay.js ${fmt(fs.statSync(CLI).size / 1024, 1)} KB (self-contained: Node 20 and this file)`);
  const N = 10;
  const node: number[] = [];
  const cli: number[] = [];
  await firstAnswer(); // warm-up (disk cache)
  for (let i = 0; i < N; i++) {
    let t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    node.push(performance.now() - t0);
    t0 = performance.now();
    cli.push(await firstAnswer());
  }
  console.log(
    `   start to the sandbox's first answer (GET /health): median ${fmt(median(cli))} ms (min ${fmt(Math.min(...cli))}), ` +
      `against Node's own start (node -e 0) median ${fmt(median(node))} ms; ${N} runs`,
  );

  const runs: number[] = [];
  let summary = '';
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, 'matrix', '--sandbox'], { encoding: 'utf8' });
    runs.push(performance.now() - t0);
    summary = /^\d+ rows: .*$/m.exec(r.stdout)?.[0] ?? `exit ${r.status}: ${r.stderr.trim()}`;
  }
  const ui = path.join(ROOT, 'test-results', 'matrix-ui.json');
  let uiText = 'the Testing view: not measured here (run the extension-host suite: test/vscode/cli.test.ts writes test-results/matrix-ui.json)';
  if (fs.existsSync(ui)) {
    const u = JSON.parse(fs.readFileSync(ui, 'utf8')) as { ms: number; rows: number; at?: string };
    uiText = `the Testing view's run of it in real VS Code ${fmt(u.ms)} ms (${u.rows} rows, local sandbox already running; extension-host suite, ${u.at ?? 'last run'})`;
  }
  console.log(
    `   test-card matrix, perfectpay matrix --sandbox (a sandbox started and stopped, 4 rows at a time): wall time median ${fmt(median(runs))} ms ` +
      `(${runs.map((r) => fmt(r)).join(', ')}); ${summary}`,
  );
  console.log(`   side by side: ${uiText}`);
}
