/**
 * What the inspector's page carries besides its script, named once for both ends (src/inspector/html.ts
 * writes the page, webview/main.ts reads it). No zod here: the extension's bundle reaches this file at
 * load, and zod lives in the lazily loaded runtime (see esbuild.mjs).
 */

/** The id of the page's JSON data block that carries the first model (read as a 'model' message, checked as every message is). */
export const FIRST_MODEL_ID = 'first-model';

