/**
 * One cold start of the extension, for the benchmark: loads dist/extension.js and runs activate()
 * in this fresh process, and prints the figures as JSON. No VS Code runs here, so `vscode` is a
 * stand-in that accepts any call: what is timed is the extension's own work.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

/**
 * A stand-in for the `vscode` module that accepts any call: enough to time activate(). Its export
 * names come from @types/vscode, since the bundle copies a module's named exports one by one.
 */
function recordingVscode(): unknown {
  const handler: ProxyHandler<() => object> = {
    get: (_t, prop) => {
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => 0;
      if (prop === Symbol.iterator) return function* () {};
      return stub;
    },
    set: () => true,
    defineProperty: () => true,
    apply: () => stub,
    construct: () => stub,
  };
  const stub: object = new Proxy(function () {
    return {};
  }, handler);
  const dts = fs.readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  const names = new Set<string>();
  for (const m of dts.matchAll(/^\s{1,4}export (?:namespace|class|enum|function|const|let) (\w+)/gm)) names.add(m[1]!);
  const mod: Record<string, unknown> = {};
  for (const n of names) mod[n] = stub;
  return mod;
}

async function main(): Promise<void> {
  const root = process.argv[2] ?? path.resolve(__dirname, '..', '..');
  const ext = path.join(root, 'dist', 'extension.js');
  const M = Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown };
  const orig = M._load;
  const vscodeStandIn = recordingVscode();
  M._load = function (req: string, ...rest: unknown[]) {
    return req === 'vscode' ? vscodeStandIn : orig.call(this, req, ...rest);
  };
  const t0 = performance.now();
  const mod = require(ext) as { activate: (ctx: unknown) => unknown };
  const t1 = performance.now();
  const isRuntimeLoaded = (): boolean => Object.keys(require.cache).some((k) => k.endsWith(path.join('dist', 'runtime.js')));
  const runtimeLoadedAtLoad = isRuntimeLoaded();
  // The ExtensionContext: the same accept-anything stand-in.
  await mod.activate((vscodeStandIn as { window: unknown }).window);
  const t2 = performance.now();
  process.stdout.write(JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1, runtimeLoadedAtLoad, runtimeLoaded: isRuntimeLoaded() }));
  process.exit(0);
}

void main();
