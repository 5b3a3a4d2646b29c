// Build of PerfectPay Explorer's bundles (esbuild).
//
//   node esbuild.mjs                  development build: sourcemaps (external .map files), no minify
//   node esbuild.mjs --production     release build: minified, no sourcemaps (old .map files removed)
//   node esbuild.mjs --watch          rebuild on change (prints "[watch] build started/finished",
//                                     the lines .vscode/tasks.json's problem matcher waits for)
//   node esbuild.mjs --only NAME[,NAME...]   build only these entries (names below)
//
// Entries (an entry whose source file does not exist yet is skipped with a note):
//   extension    src/extension.ts   -> dist/extension.js   Node, CJS: the extension's `main`. Keep it SMALL:
//                                                          activation must stay under 20 ms.
//   runtime      src/runtime.ts     -> dist/runtime.js     Node, CJS: the heavy part (API client with undici,
//                                                          the local sandbox), loaded lazily on first use.
//   scenario-runtime src/scenarioRuntime.ts -> dist/scenarioRuntime.js  Node, CJS: the scenario engine
//                                                          (src/scenarioEngine), loaded when scenarios are
//                                                          first used (the same convention as the runtime).
//   agent-runtime src/agentRuntime.ts -> dist/agentRuntime.js  Node, CJS: the agent tools (src/agentTools),
//                                                          loaded when a language model tool is first prepared.
//   cli          src/cli/main.ts    -> dist/perfectpay.js  Node, CJS, with a `#!/usr/bin/env node` banner: the
//                                                          `perfectpay` tool (sandbox, scenarios run, matrix, mcp),
//                                                          self-contained; `npm run package:cli` packs it.
//   sandbox-cli  src/sandbox/main.ts -> dist/sandbox-cli.js Node, CJS: `npm run sandbox` (the same command as `perfectpay sandbox`).
//   webview      webview/main.ts    -> dist/webview.js     browser, IIFE, ES2022: the inspector's page (written
//                                                          into it by src/inspector/html.ts).
//   webview-toolkit webview/toolkit.ts -> dist/webview-toolkit.js  browser, IIFE: @vscode/webview-ui-toolkit's
//                                                          components (a packaged extension ships no
//                                                          node_modules), loaded by the page after its first paint.
//   webview-css  webview/main.css   -> dist/webview.css    (do not also import CSS from webview/main.ts)
//
// THE LAZY-RUNTIME CONVENTION
//   dist/extension.js must not contain the runtime. The extension reaches it ONLY through a plain
//   `require('./runtime.js')` written in a file directly under src/ (normally src/extension.ts), with
//   a type-only import for typing, e.g.:
//
//       type Runtime = typeof import('./runtime.js');          // erased: pulls nothing in
//       let runtime: Runtime | undefined;
//       export function loadRuntime(): Runtime {
//         return (runtime ??= require('./runtime.js') as Runtime);
//       }
//
//   In the `extension` bundle, the import path `./runtime.js` (or `./runtime`) is marked external
//   by the plugin below, so the require stays as written and, at run time, resolves to
//   dist/runtime.js next to dist/extension.js. Under tsc (out/src/extension.js for the unit and
//   extension-host tests) the same require resolves to out/src/runtime.js. Never `import` a value
//   from './runtime', './api' (the client) or './sandbox' in code that the extension bundle
//   reaches at load time: the build warns when dist/extension.js ends up containing undici or the
//   sandbox.
//   src/runtime.ts re-exports what the extension needs lazily (`export * from './api'`, startSandbox).
//
// THE SLIM UNDICI: in the Node bundles, `import ... from 'undici'` resolves to scripts/undici-slim.mjs
//   (Agent, Client, Pool, Dispatcher with the request API, errors: the same modules undici's index.js
//   re-exports) instead of index.js, which loads all of undici (~550 KB minified). Importing a name it
//   does not export fails the build ("No matching export"): add it there.
//
// Size budgets, minified: dist/extension.js ≤ 220 KB (activation loads it), dist/runtime.js ≤ 520 KB (the
// first request loads it). The sizes are printed at the end; in --production, going over a budget is
// reported as an error (exit code 1).
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const args = process.argv.slice(2);
const production = args.includes('--production');
const watch = args.includes('--watch');
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? (args[onlyIdx + 1] ?? '').split(',').filter(Boolean) : undefined;

/**
 * `import * as vscode from 'vscode'` in every module would make each of them copy the whole API
 * object's ~300 exports (esbuild's CJS-to-ESM interop), about 30 ms at load in all. Routing every
 * such import through one shim module copies them once.
 */
const vscodeOnce = {
  name: 'perfectpay-vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (a) =>
      a.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

/** Keeps `require('./runtime.js')`, `require('./scenarioRuntime.js')` and `require('./agentRuntime.js')` external in the extension bundle (see the convention above). */
const runtimeExternal = {
  name: 'perfectpay-runtime-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/(runtime|scenarioRuntime|agentRuntime)(\.js)?$/ }, (a) => {
      // Only src/runtime.ts itself, imported from a file directly in src/: dist/extension.js and
      // dist/runtime.js sit side by side. Any other './runtime' resolves (and bundles) as usual.
      if (dirname(a.importer) !== join(root, 'src')) return undefined;
      return { path: a.path.endsWith('.js') ? a.path : `${a.path}.js`, external: true };
    });
  },
};

/**
 * One copy of zod in the Node bundles: in the extension bundle, `zod/mini` is the runtime bundle's
 * (src/runtime.ts exports it as `zodMini`), required on first use. Only code loaded after activation
 * uses zod there (the inspector's protocol and panel, loaded on first open), and the runtime is loaded
 * by then or at that moment; `activate()` still loads neither (the activation test checks it).
 */
const zodFromRuntime = {
  name: 'perfectpay-zod-from-runtime',
  setup(build) {
    build.onResolve({ filter: /^zod\/mini$/ }, () => ({ path: 'zod-mini', namespace: 'zod-from-runtime' }));
    build.onLoad({ filter: /.*/, namespace: 'zod-from-runtime' }, () => ({
      // A path built at run time: esbuild leaves this require alone, and dist/runtime.js is beside us.
      contents: "const path = require('path'); module.exports = require(path.join(__dirname, 'runtime.js')).zodMini;",
      loader: 'js',
    }));
  },
};

/**
 * `undici` -> scripts/undici-slim.mjs in the Node bundles: only the Agent/Client/Pool, the request API
 * and the errors, instead of undici's index.js that loads all of undici (fetch, WebSocket, mocks...,
 * ~550 KB minified). Same modules, same behaviour; see that file to export more.
 * PERFECTPAY_FULL_UNDICI=1 bundles the whole of undici instead (to compare).
 */
const undiciSlim = {
  name: 'perfectpay-undici-slim',
  setup(build) {
    if (process.env.PERFECTPAY_FULL_UNDICI === '1') return;
    build.onResolve({ filter: /^undici$/ }, () => ({ path: join(root, 'scripts/undici-slim.mjs') }));
  },
};

/** Prints the start/finish lines the watch task's problem matcher looks for, and errors as file:line:col. */
const watchLog = (name) => ({
  name: 'perfectpay-watch-log',
  setup(build) {
    build.onStart(() => { if (watch) console.log(`[watch] build started (${name})`); });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log(`[watch] build finished (${name})`);
    });
  },
});

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'silent',
  metafile: true,
};

const entries = [
  { name: 'extension', src: 'src/extension.ts', out: 'dist/extension.js', budgetKb: 220,
    options: { ...node, plugins: [vscodeOnce, runtimeExternal, undiciSlim, zodFromRuntime] } },
  { name: 'runtime', src: 'src/runtime.ts', out: 'dist/runtime.js', budgetKb: 520, options: { ...node, plugins: [undiciSlim] } },
  { name: 'scenario-runtime', src: 'src/scenarioRuntime.ts', out: 'dist/scenarioRuntime.js', budgetKb: 80, options: { ...node } },
  { name: 'agent-runtime', src: 'src/agentRuntime.ts', out: 'dist/agentRuntime.js', budgetKb: 80, options: { ...node } },
  // The `perfectpay` tool: self-contained (Node 20 only), its version written in, runnable as a `bin`.
  { name: 'cli', src: 'src/cli/main.ts', out: 'dist/perfectpay.js',
    options: { ...node, plugins: [undiciSlim], banner: { js: '#!/usr/bin/env node' },
      define: { PERFECTPAY_CLI_VERSION: JSON.stringify(pkg.version) } } },
  { name: 'sandbox-cli', src: 'src/sandbox/main.ts', out: 'dist/sandbox-cli.js', options: { ...node, plugins: [undiciSlim] } },
  { name: 'webview', src: 'webview/main.ts', out: 'dist/webview.js',
    options: {
      bundle: true, platform: 'browser', format: 'iife', target: 'es2022',
      minify: production, sourcemap: production ? false : 'linked', sourcesContent: false,
      legalComments: production ? 'none' : 'inline', logLevel: 'silent', metafile: true,
      define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
    } },
  { name: 'webview-toolkit', src: 'webview/toolkit.ts', out: 'dist/webview-toolkit.js',
    options: {
      bundle: true, platform: 'browser', format: 'iife', target: 'es2022',
      minify: production, sourcemap: production ? false : 'linked', sourcesContent: false,
      legalComments: production ? 'none' : 'inline', logLevel: 'silent', metafile: true,
    } },
  { name: 'webview-css', src: 'webview/main.css', out: 'dist/webview.css',
    options: { bundle: true, minify: production, sourcemap: false, logLevel: 'silent', metafile: true,
      loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl' } } },
];

if (only) {
  const unknown = only.filter((n) => !entries.some((e) => e.name === n));
  if (unknown.length) {
    console.error(`esbuild.mjs: unknown entry ${unknown.join(', ')} (known: ${entries.map((e) => e.name).join(', ')})`);
    process.exit(2);
  }
}

const selected = entries.filter((e) => !only || only.includes(e.name));
const present = [];
for (const e of selected) {
  if (existsSync(join(root, e.src))) present.push(e);
  else console.log(`note: skipping ${e.name}: ${e.src} does not exist yet`);
}

if (production) {
  // A release build must not leave stale development sourcemaps beside the minified bundles.
  const dist = join(root, 'dist');
  if (existsSync(dist)) {
    for (const f of readdirSync(dist)) if (f.endsWith('.map')) rmSync(join(dist, f));
  }
}

/** Warns when the extension bundle pulls in what belongs in the lazily loaded runtime. */
function checkExtensionBundle(metafile) {
  const inputs = Object.keys(metafile.inputs);
  const heavy = inputs.filter((p) => /node_modules[\\/]undici[\\/]/.test(p) || /^src[\\/](sandbox|api[\\/]client)/.test(p));
  if (heavy.length) {
    const shown = [...new Set(heavy.map((p) => p.replace(/(node_modules[\\/]undici)[\\/].*/, '$1')))].slice(0, 8);
    console.warn(`warning: dist/extension.js bundles ${shown.join(', ')}${heavy.length > shown.length ? ', ...' : ''}`);
    console.warn(`         load these lazily through require('./runtime.js') instead (see the top of esbuild.mjs)`);
  }
}

function options(e) {
  return { ...e.options, entryPoints: [join(root, e.src)], outfile: join(root, e.out),
    plugins: [...(e.options.plugins ?? []), watchLog(e.name)] };
}

if (watch) {
  for (const e of present) {
    const ctx = await esbuild.context(options(e));
    await ctx.watch();
  }
  console.log(`esbuild: watching ${present.map((e) => e.name).join(', ') || 'nothing'} (Ctrl+C to stop)`);
} else {
  const started = Date.now();
  let failed = false;
  const results = await Promise.all(present.map(async (e) => {
    try {
      const result = await esbuild.build(options(e));
      if (e.name === 'extension') checkExtensionBundle(result.metafile);
      for (const w of result.warnings) {
        console.warn(`warning (${e.name}): ${w.text}${w.location ? ` [${w.location.file}:${w.location.line}:${w.location.column}]` : ''}`);
      }
      return e;
    } catch {
      failed = true; // errors were printed by watchLog
      console.error(`esbuild: ${e.name} FAILED`);
      return undefined;
    }
  }));
  const built = results.filter(Boolean);
  const kb = (bytes) => (bytes / 1024).toFixed(1).padStart(8) + ' KB';
  if (built.length) console.log(`\n${production ? 'release' : 'development'} build (${Date.now() - started} ms):`);
  for (const e of built) {
    const size = statSync(join(root, e.out)).size;
    const over = e.budgetKb !== undefined && size > e.budgetKb * 1024;
    const budget = e.budgetKb === undefined ? '' : `  budget ${e.budgetKb} KB minified` +
      (production ? (over ? '  OVER BUDGET' : '') : ' (not minified here: see build:release)');
    console.log(`  ${e.out.padEnd(22)}${kb(size)}${budget}`);
    if (over && production) {
      console.log(`esbuild: ${e.out} is ${(size / 1024).toFixed(1)} KB, over its ${e.budgetKb} KB budget`);
      failed = true;
    }
  }
  process.exitCode = failed ? 1 : 0;
}
