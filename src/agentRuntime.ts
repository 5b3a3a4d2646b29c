/**
 * The agent tools (src/agentTools), bundled to dist/agentRuntime.js and loaded when a language model
 * tool is first prepared or invoked (`require('./agentRuntime.js')` in src/extension.ts; see the
 * lazy-runtime convention at the top of esbuild.mjs): a window where no agent calls a tool never loads it.
 */
export * from './agentTools';
