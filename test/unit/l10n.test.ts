/**
 * The code's user-facing strings go through `l10n.t('English text {0}', value)` (`vscode.l10n`, see
 * src/environment/l10n.ts), and l10n/bundle.l10n.json (`npm run l10n`, i.e. @vscode/l10n-dev export)
 * lists them for translators. This checks what the export relies on and that the bundle cannot drift:
 * every `l10n.t(` call in src/ has a string literal as its first argument and sits in a file that
 * imports 'vscode' (the export reads no other file), every such literal is a key of the bundle, and
 * the bundle has no key the sources no longer use.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const SRC = join(ROOT, 'src');
const BUNDLE = join(ROOT, 'l10n', 'bundle.l10n.json');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The value of a single- or double-quoted literal, or of a template literal without `${}`. */
function unquote(literal: string): string {
  const body = literal.slice(1, -1);
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/gs, (_m, e: string) => {
    if (e.startsWith('u{')) return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
    if (e[0] === 'u' && e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e[0] === 'x' && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[e] ?? e;
  });
}

const CALL = /\bl10n\.t\(\s*/g;
const LITERAL = /^(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\$]|\\.|\$(?!\{))*`)/s;

interface Use {
  file: string;
  line: number;
  message?: string;
  /** The file imports 'vscode' (without which the export does not look at it). */
  importsVscode: boolean;
}

function uses(): Use[] {
  const out: Use[] = [];
  for (const file of files(SRC)) {
    const text = readFileSync(file, 'utf8');
    const importsVscode = /^import [^;]* from 'vscode';$/m.test(text);
    for (const m of text.matchAll(CALL)) {
      const at = m.index + m[0].length;
      const literal = LITERAL.exec(text.slice(at))?.[0];
      const line = text.slice(0, m.index).split('\n').length;
      out.push({ file: relative(ROOT, file), line, message: literal === undefined ? undefined : unquote(literal), importsVscode });
    }
  }
  return out;
}

describe('l10n: the code strings and l10n/bundle.l10n.json', () => {
  const all = uses();
  const bundle = JSON.parse(readFileSync(BUNDLE, 'utf8')) as Record<string, unknown>;

  it('the sources do use vscode.l10n.t', () => {
    assert.ok(all.length > 50, `only ${all.length} l10n.t( calls found`);
  });

  it('every l10n.t( call has a string literal as its first argument (what the export can read)', () => {
    const bad = all.filter((u) => u.message === undefined).map((u) => `${u.file}:${u.line}`);
    assert.deepEqual(bad, [], `l10n.t( without a literal first argument at ${bad.join(', ')}`);
  });

  it("every file that calls l10n.t( imports 'vscode' (or the export skips it)", () => {
    const bad = [...new Set(all.filter((u) => !u.importsVscode).map((u) => u.file))];
    assert.deepEqual(bad, [], `l10n.t( in files without an import from 'vscode': ${bad.join(', ')}`);
  });

  it('every message is in the bundle (run `npm run l10n`)', () => {
    const missing = all.filter((u) => u.message !== undefined && !(u.message in bundle)).map((u) => `${u.file}:${u.line} ${JSON.stringify(u.message)}`);
    assert.deepEqual(missing, [], `not in l10n/bundle.l10n.json (run \`npm run l10n\`):\n${missing.join('\n')}`);
  });

  it('the bundle has no message the sources no longer use (run `npm run l10n`)', () => {
    const used = new Set(all.map((u) => u.message));
    const stale = Object.keys(bundle).filter((k) => !used.has(k));
    assert.deepEqual(stale, [], `unused keys in l10n/bundle.l10n.json (run \`npm run l10n\`): ${stale.join(', ')}`);
  });

  it('the bundle is the English text: each key is its own value', () => {
    const differ = Object.entries(bundle).filter(([k, v]) => k !== v).map(([k]) => k);
    assert.deepEqual(differ, []);
  });
});
