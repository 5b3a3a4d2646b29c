/**
 * JUnit XML of a CLI run, as CI systems read it (GitHub Actions' test reporters, GitLab, Jenkins):
 * one testsuite, a testcase per scenario; a failed step is a <failure> naming the step, what was
 * expected and what came back; a file with mistakes or a refused scenario an <error>; a cancelled
 * one <skipped/>. Every text is escaped, and characters XML 1.0 cannot hold are replaced.
 */
import type { ScenarioResult } from '../scenarioEngine';

export interface JunitCase {
  /** The scenario's name. */
  name: string;
  /** Its file (relative), or "matrix". */
  classname: string;
  result?: ScenarioResult;
  /** Why it was not run (a file's problems, each with its line). */
  problems?: string[];
  /** The lines printed for it. */
  output: string;
}

/** What XML 1.0 cannot hold at all (most control characters, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text for an element's content or an attribute's value (quotes and newlines kept as references in attributes). */
export function xmlEscape(text: string, attribute = false): string {
  const s = text.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return attribute ? s.replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;') : s;
}

const secs = (ms: number): string => (ms / 1000).toFixed(3);

export function junitXml(suite: string, cases: readonly JunitCase[], at: Date, totalMs: number): string {
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const a = (s: string): string => xmlEscape(s, true);
  const body = cases.map((c) => {
    const r = c.result;
    const head = `    <testcase classname="${a(c.classname)}" name="${a(c.name)}" time="${secs(r?.durationMs ?? 0)}">`;
    let verdict = '';
    if (!r) {
      errors++;
      const problems = c.problems ?? [];
      verdict = `      <error type="invalid scenario file" message="${a(`The scenario file has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}: ${problems.join('; ')}`)}">${xmlEscape(problems.join('\n'))}</error>\n`;
    } else if (r.outcome === 'failed') {
      failures++;
      const step = r.steps.find((s) => s.outcome === 'failed');
      const text = [
        `Step: ${step?.label ?? '?'}`,
        step?.message ?? r.message ?? '',
        ...(step?.expected !== undefined ? ['Expected:', step.expected] : []),
        ...(step?.actual !== undefined ? ['Actual:', step.actual] : []),
      ].join('\n');
      verdict = `      <failure type="${a(`step ${step?.label ?? '?'}`)}" message="${a(step?.message ?? r.message ?? 'failed')}">${xmlEscape(text)}</failure>\n`;
    } else if (r.outcome === 'refused') {
      errors++;
      verdict = `      <error type="not run" message="${a(r.message ?? 'Not run.')}"/>\n`;
    } else if (r.outcome === 'cancelled') {
      skipped++;
      verdict = `      <skipped message="${a(r.message ?? 'cancelled')}"/>\n`;
    }
    return `${head}\n${verdict}      <system-out>${xmlEscape(c.output)}</system-out>\n    </testcase>`;
  });
  const counts = `tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${secs(totalMs)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="perfectpay" ${counts}>`,
    `  <testsuite name="${a(suite)}" ${counts} timestamp="${at.toISOString().replace(/\.\d+Z$/, '')}">`,
    ...body,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
