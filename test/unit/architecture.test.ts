/**
 * The house rules of ARCHITECTURE.md, checked on every run: which folder may import which (`import
 * type` and `typeof import()` included), no cycle between folders, no `vscode` below the VS Code
 * layer, and the webview reaching only the domain and the shared protocol.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** Who may import whom: a folder (or a top-level file) of src/, and webview/. */
const ALLOWED: Record<string, readonly string[]> = {
  domain: [],
  api: ['domain'],
  model: ['domain'],
  // The scenario engine: the Testing view and the CLI run scenarios through it. The VS Code layer
  // reaches its values only through the runtime bundle (type imports here, checked below).
  scenarioEngine: ['domain', 'api', 'model'],
  // The agent tools (one definition of each, what they do over a port): VS Code's language model tools
  // reach them through dist/agentRuntime.js, `perfectpay mcp` directly.
  agentTools: ['domain', 'api', 'model', 'scenarioEngine'],
  'agentRuntime.ts': ['agentTools'],
  shared: ['domain'],
  sandbox: ['domain', 'api'],
  'runtime.ts': ['api', 'sandbox'],
  'scenarioRuntime.ts': ['scenarioEngine'],
  environment: ['domain', 'api', 'model', 'sandbox', 'runtime.ts'],
  log: ['domain', 'api', 'model'],
  services: ['domain', 'api', 'model', 'environment'],
  tree: ['domain', 'api', 'model', 'shared', 'environment', 'services'],
  inspector: ['domain', 'api', 'model', 'shared', 'environment', 'services'],
  documents: ['domain', 'api', 'model', 'shared', 'environment', 'services'],
  links: ['domain', 'api', 'model', 'shared', 'environment', 'services', 'documents', 'tree'],
  commands: ['domain', 'api', 'model', 'shared', 'environment', 'services', 'log', 'tree', 'inspector', 'links', 'documents'],
  // Scenarios run through the commands' notifier and argument parsing: they sit above the commands.
  scenarios: ['domain', 'api', 'model', 'shared', 'environment', 'services', 'commands', 'scenarioEngine'],
  // The `perfectpay` command-line tool (dist/perfectpay.js): the sandbox, the scenario engine and the
  // API client outside VS Code.
  cli: ['domain', 'api', 'model', 'sandbox', 'scenarioEngine', 'agentTools'],
  // VS Code's language model tools: types only from agentTools (its values come from dist/agentRuntime.js).
  agents: ['domain', 'api', 'model', 'environment', 'services', 'scenarios', 'agentTools'],
  'extension.ts': ['*'],
  webview: ['domain', 'shared'],
};
/** Where `vscode` may not be imported. */
const NO_VSCODE = ['domain', 'api', 'model', 'scenarioEngine', 'agentTools', 'agentRuntime.ts', 'cli', 'shared', 'sandbox', 'runtime.ts', 'scenarioRuntime.ts', 'webview'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The layer of a file: its folder under src/ (or its name at src/'s top), or webview. */
function layerOf(file: string): string | undefined {
  const rel = relative(ROOT, file).split(sep);
  if (rel[0] === 'webview') return 'webview';
  if (rel[0] !== 'src') return undefined;
  return rel.length === 2 ? rel[1] : rel[1];
}

const SPEC = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

interface Edge {
  from: string;
  to: string;
  file: string;
  spec: string;
}

function edges(): { edges: Edge[]; vscode: string[] } {
  const out: Edge[] = [];
  const vscode: string[] = [];
  for (const file of [...files(join(ROOT, 'src')), ...files(join(ROOT, 'webview'))]) {
    const from = layerOf(file)!;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(SPEC)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (spec === 'vscode') vscode.push(`${relative(ROOT, file)} (${from})`);
      if (!spec.startsWith('.')) continue;
      const target = normalize(join(dirname(file), spec));
      const isDir = (() => {
        try {
          return statSync(target).isDirectory();
        } catch {
          return false;
        }
      })();
      let to = layerOf(isDir ? join(target, 'index.ts') : target.endsWith('.ts') || target.endsWith('.js') ? target : `${target}.ts`);
      if (to === 'runtime.js') to = 'runtime.ts';
      if (to === 'scenarioRuntime.js') to = 'scenarioRuntime.ts';
      if (to === 'agentRuntime.js') to = 'agentRuntime.ts';
      if (!to || to === from) continue;
      out.push({ from, to, file: relative(ROOT, file), spec });
    }
  }
  return { edges: out, vscode };
}

describe('architecture: layers import one way only', () => {
  const { edges: all, vscode } = edges();

  it('reads the imports of every layer', () => {
    assert.ok(all.length > 30, `only ${all.length} imports between layers were found`);
    for (const l of ['api', 'sandbox', 'services', 'commands', 'webview']) assert.ok(all.some((e) => e.from === l), `no import found from ${l}`);
  });

  it('every import between layers is one the house allows', () => {
    const bad = all.filter((e) => {
      const allowed = ALLOWED[e.from];
      return !allowed || (!allowed.includes('*') && !allowed.includes(e.to));
    });
    assert.deepEqual(bad.map((e) => `${e.file}: ${e.from} → ${e.to} (${e.spec})`), []);
  });

  it('the layers form no cycle', () => {
    const next = new Map<string, Set<string>>();
    for (const e of all) (next.get(e.from) ?? next.set(e.from, new Set()).get(e.from)!).add(e.to);
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' → '));
        return;
      }
      for (const n of next.get(node) ?? []) visit(n, [...path, node]);
    };
    for (const n of next.keys()) visit(n, []);
    assert.deepEqual([...new Set(cycles)], []);
  });

  it('the VS Code layer takes only types from the scenario engine (its values come with the runtime bundle)', () => {
    const valueImports = [...files(join(ROOT, 'src'))]
      // The CLI is outside VS Code: it bundles the engine (dist/perfectpay.js).
      .filter((f) => !['scenarioEngine', 'scenarioRuntime.ts', 'agentTools', 'cli'].includes(layerOf(f)!))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+['"]([^'"]*scenarioEngine[^'"]*)['"]/gm)].map((m) => `${relative(ROOT, f)}: ${m[1]}`));
    assert.ok(readFileSync(join(ROOT, 'src', 'scenarios', 'engine.ts'), 'utf8').includes("typeof import('../scenarioEngine')"));
    assert.deepEqual(valueImports, []);
  });

  it('the VS Code layer takes only types from the agent tools (their values come with dist/agentRuntime.js)', () => {
    const valueImports = [...files(join(ROOT, 'src'))]
      .filter((f) => !['agentTools', 'agentRuntime.ts', 'cli'].includes(layerOf(f)!))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+['"]([^'"]*agentTools[^'"]*)['"]/gm)].map((m) => `${relative(ROOT, f)}: ${m[1]}`));
    assert.deepEqual(valueImports, []);
  });

  it('nothing below the VS Code layer imports vscode', () => {
    assert.deepEqual(vscode.filter((v) => NO_VSCODE.some((l) => v.endsWith(`(${l})`))), []);
  });
});

describe('the extension bundle (dist/extension.js, as built by `npm test` or `npm run build:release`)', () => {
  it('loads neither the runtime (client, sandbox) nor zod, when loaded or when activated', function () {
    this.timeout(30_000);
    const bundle = join(ROOT, 'dist', 'extension.js');
    if (!existsSync(bundle)) this.skip();
    // In a fresh process (bench/startup.ts: a stand-in `vscode`): a value imported from a module that
    // builds zod schemas at load pulls dist/runtime.js in (zod comes from it), which costs every
    // window that opens the view 60-100 ms. tsc's out/ cannot show this: only the bundle wraps modules so.
    const out = execFileSync(process.execPath, [join(ROOT, 'out', 'bench', 'startup.js'), ROOT], { encoding: 'utf8' });
    const r = JSON.parse(out) as { runtimeLoadedAtLoad: boolean; runtimeLoaded: boolean };
    assert.equal(r.runtimeLoadedAtLoad, false, 'loading dist/extension.js loaded dist/runtime.js');
    assert.equal(r.runtimeLoaded, false, 'activate() loaded dist/runtime.js');
  });
});
