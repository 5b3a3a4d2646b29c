/**
 * "Copy as code": the request of a Copy as cURL as Node (`fetch`), Python (`requests`) and HTTPie.
 * Same rule as the cURL copy (src/api/curl.ts, `shareableRequest`): the key is read from the
 * environment variable PERFECTPAY_API_KEY (a browser-side confirm: PERFECTPAY_PUBLISHABLE_KEY and
 * PERFECTPAY_CLIENT_SECRET), never written; URL and body are redacted. Pure.
 */
import { shareableRequest, shellEnvRef, shellQuote, toCurl, withEnvRefs, type CurlRequest } from './curl';

export const CODE_LANGUAGES = ['node', 'python', 'httpie'] as const;
export type CodeLanguage = (typeof CODE_LANGUAGES)[number];
/** Everything a copy can be made as (cURL included). */
export type CopyFormat = CodeLanguage | 'curl';

export const CODE_LANGUAGE_LABELS: Readonly<Record<CopyFormat, string>> = {
  curl: 'cURL',
  node: 'Node.js (fetch)',
  python: 'Python (requests)',
  httpie: 'HTTPie',
};

export function isCopyFormat(value: unknown): value is CopyFormat {
  return value === 'curl' || (CODE_LANGUAGES as readonly unknown[]).includes(value);
}

export function toCode(language: CopyFormat, req: CurlRequest): string {
  switch (language) {
    case 'curl':
      return toCurl(req);
    case 'node':
      return toNode(req);
    case 'python':
      return toPython(req);
    case 'httpie':
      return toHttpie(req);
  }
}

/** Node 18+ (global fetch), as an ES module or a REPL line: top-level await. */
function toNode(req: CurlRequest): string {
  const r = shareableRequest(req);
  const headers: string[] = [];
  if (r.authenticated) headers.push(`    'api-key': process.env.${r.keyVar},`);
  if (r.body !== undefined) headers.push(`    'Content-Type': 'application/json',`);
  const lines = [`const response = await fetch(${JSON.stringify(r.url)}, {`, `  method: ${JSON.stringify(r.method)},`];
  if (headers.length) lines.push('  headers: {', ...headers, '  },');
  if (r.body !== undefined) lines.push(`  body: JSON.stringify(${withEnvRefs(indent(jsLiteral(r.body), 2), (n) => `process.env.${n}`)}),`);
  lines.push('});', 'console.log(response.status, await response.json());');
  return lines.join('\n');
}

function toPython(req: CurlRequest): string {
  const r = shareableRequest(req);
  const lines = ['import os', '', 'import requests', ''];
  const headers: string[] = [];
  if (r.authenticated) headers.push(`    "api-key": os.environ["${r.keyVar}"],`);
  lines.push(headers.length ? `headers = {\n${headers.join('\n')}\n}` : 'headers = {}');
  if (r.body !== undefined) lines.push(`body = ${withEnvRefs(pyLiteral(r.body, 0), (n) => `os.environ[${pyString(n)}]`)}`);
  lines.push(
    '',
    `response = requests.request(${pyString(r.method)}, ${pyString(r.url)}, headers=headers${r.body !== undefined ? ', json=body' : ''}, timeout=30)`,
    'print(response.status_code, response.json())',
  );
  return lines.join('\n');
}

/** HTTPie 3.2+ (`--raw` sends the body exactly as written). */
function toHttpie(req: CurlRequest): string {
  const r = shareableRequest(req);
  const lines = [`http ${r.method} ${shellQuote(r.url)}`];
  if (r.authenticated) lines.push(`  "api-key:$${r.keyVar}"`);
  if (r.body !== undefined) {
    lines.push(`  Content-Type:application/json`);
    lines.push(`  --raw ${withEnvRefs(shellQuote(JSON.stringify(r.body, null, 2)), shellEnvRef)}`);
  }
  return lines.join(' \\\n');
}

/** JSON is a JavaScript literal (ES2019+: U+2028 and U+2029 are allowed in strings). */
function jsLiteral(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'null';
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text.split('\n').map((l, i) => (i === 0 ? l : pad + l)).join('\n');
}

/** A Python string literal: JSON's escapes are Python's too (\", \\, \n, \uXXXX). */
function pyString(s: string): string {
  return JSON.stringify(s);
}

/** A JSON value as a Python literal (True/False/None), indented by 4. */
function pyLiteral(value: unknown, depth: number): string {
  const pad = '    '.repeat(depth + 1);
  const end = '    '.repeat(depth);
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None';
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return `[\n${value.map((v) => pad + pyLiteral(v, depth + 1)).join(',\n')},\n${end}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (!entries.length) return '{}';
    return `{\n${entries.map(([k, v]) => `${pad}${pyString(k)}: ${pyLiteral(v, depth + 1)}`).join(',\n')},\n${end}}`;
  }
  return 'None';
}
