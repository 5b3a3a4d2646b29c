/**
 * The manifest's words come from package.nls.json (VS Code's localization of contributions): every
 * `%key%` of package.json has its text there, no user-facing title or description is written in
 * package.json itself, and no text in package.nls.json is left over.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: unknown };
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

/** Every string of `value` with the path of keys to it. */
function strings(value: unknown, at: string[] = []): { at: string[]; text: string }[] {
  if (typeof value === 'string') return [{ at, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, [...at, String(i)]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, [...at, k]));
  return [];
}

/** The keys whose strings a person reads in VS Code's UI. */
const SHOWN = new Set(['title', 'shortTitle', 'markdownDescription', 'description', 'enumDescriptions', 'markdownEnumDescriptions', 'contents', 'name', 'label']);

describe('manifest localization (package.nls.json)', () => {
  const all = strings(pkg.contributes, ['contributes']);

  it('resolves every %key% of package.json', () => {
    const missing = all.filter((s) => /^%.+%$/.test(s.text) && !(s.text.slice(1, -1) in nls)).map((s) => `${s.at.join('.')}: ${s.text}`);
    assert.deepEqual(missing, []);
  });

  it('writes no title or description of a contribution in package.json itself', () => {
    const plain = all
      .filter((s) => s.at.some((k) => SHOWN.has(k)) && !/^%.+%$/.test(s.text))
      // A configuration property's own name and the JSON schema's file names are not words for people.
      .filter((s) => !s.at.includes('jsonValidation') && !(s.at.at(-2) === 'properties'))
      // A language model tool's name and input schema are the model's words (src/agentTools/definitions.ts).
      .filter((s) => !(s.at[1] === 'languageModelTools' && (s.at[3] === 'name' || s.at[3] === 'inputSchema')))
      .map((s) => `${s.at.join('.')}: ${s.text.slice(0, 60)}`);
    assert.deepEqual(plain, []);
  });

  it("takes a language model tool's display name and description for people from package.nls.json", () => {
    const plain = all
      .filter((s) => s.at[1] === 'languageModelTools' && (s.at[3] === 'displayName' || s.at[3] === 'userDescription') && !/^%.+%$/.test(s.text))
      .map((s) => `${s.at.join('.')}: ${s.text.slice(0, 60)}`);
    assert.deepEqual(plain, []);
  });

  it('keeps no text in package.nls.json that package.json does not use', () => {
    const text = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
    const unused = Object.keys(nls).filter((k) => !text.includes(`"%${k}%"`));
    assert.deepEqual(unused, []);
  });
});
