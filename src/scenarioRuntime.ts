/**
 * The scenario engine (src/scenarioEngine), bundled to dist/scenarioRuntime.js and loaded when the
 * Testing view or a scenario command first needs it (`require('./scenarioRuntime.js')` in
 * src/extension.ts; see the lazy-runtime convention at the top of esbuild.mjs). Apart from the API
 * runtime: a window that never runs a scenario never loads it.
 */
export * from './scenarioEngine';
