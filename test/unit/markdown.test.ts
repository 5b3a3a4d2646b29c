// Markdown escaping of server strings for tooltips and hovers (src/domain/text.ts), table-driven with
// hostile ids and texts. What a renderer makes of the output is checked by reading it back the way
// CommonMark does: a backslash before ASCII punctuation is dropped, `&#36;` is `$`, and a code span
// shows its content as is.
import assert from 'node:assert/strict';
import { codeSpan, escapeMarkdown } from '../../src/domain/text';

/** What CommonMark shows for escaped text: backslash escapes and the one entity we write, decoded. */
function shown(markdown: string): string {
  return markdown.replace(/&#36;/g, '$').replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Characters that start Markdown syntax and must never appear unescaped in escaped text. */
const SYNTAX = /(?<!\\)[`*_[\]<>!|#~&(){}+\-.]/;

/**
 * One test a case `[what, input, expected]`, named by `title(what)`: `markdown(input)` is one line, and
 * passes `check`.
 */
function eachCase(
  cases: readonly [string, string, string][],
  title: (what: string) => string,
  markdown: (input: string) => string,
  check: (md: string, expected: string, input: string) => void,
): void {
  for (const [what, input, expected] of cases) {
    it(title(what), () => {
      const md = markdown(input);
      assert.ok(!/[\r\n]/.test(md), 'one line');
      check(md, expected, input);
    });
  }
}

describe('escapeMarkdown', () => {
  const cases: [string, string, string][] = [
    // [what, input, what a person sees]
    ['a plain id', 'pay_mbabizu24mvu3mela5njyhpit4', 'pay_mbabizu24mvu3mela5njyhpit4'],
    ['a status with underscores', 'requires_capture', 'requires_capture'],
    ['backticks', 'pay_`x`', 'pay_`x`'],
    ['a newline', 'pay_x\n# heading', 'pay_x # heading'],
    ['CR LF and tabs', 'a\r\n\tb', 'a b'],
    ['a command link', '[link](command:x)', '[link](command:x)'],
    ['an image link', '![x](https://evil.example/x.png)', '![x](https://evil.example/x.png)'],
    ['HTML', '<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
    ['emphasis', '*bold* _it_ **b** __u__', '*bold* _it_ **b** __u__'],
    ['strike and tables', '~~gone~~ | cell |', '~~gone~~ | cell |'],
    ['an entity', '&lt;b&gt; &amp;', '&lt;b&gt; &amp;'],
    ['a theme icon', '$(zap) $(check-all) $(sync~spin)', '$(zap) $(check-all) $(sync~spin)'],
    ['a list marker and a number', '- 1. + 2) > quote', '- 1. + 2) > quote'],
    ['an autolink', '<https://evil.example> www.evil.example https://evil.example', '<https://evil.example> www.evil.example https://evil.example'],
    ['a backslash', 'C:\\path\\*', 'C:\\path\\*'],
    ['a Unicode line separator', 'a\u2028b\u2029c', 'a b c'],
    ['nothing', '', ''],
  ];
  eachCase(cases, (what) => `shows ${what} as the characters sent`, escapeMarkdown, (md, expected) => {
    assert.equal(shown(md), expected);
    assert.ok(!SYNTAX.test(md.replace(/&#36;/g, '')), `unescaped syntax in ${md}`);
    assert.ok(!/\$\(/.test(md), 'a $( that VS Code would draw as an icon');
  });

  it('is safe in a table cell: every | is escaped, even after a backslash', () => {
    const md = escapeMarkdown('a\\|b|c');
    // A cell ends at a | preceded by an even number of backslashes.
    assert.ok(!/(?:^|[^\\])(?:\\\\)*\|/.test(md), md);
    assert.equal(shown(md), 'a\\|b|c');
  });

  it('takes any value', () => {
    assert.equal(escapeMarkdown(42), '42');
    assert.equal(escapeMarkdown(null), '');
    assert.equal(escapeMarkdown(undefined), '');
  });
});

describe('codeSpan', () => {
  const cases: [string, string, string][] = [
    // [what, input, the code span's content]
    ['a plain id', 'pay_mbabizu24mvu3mela5njyhpit4', 'pay_mbabizu24mvu3mela5njyhpit4'],
    ['a status, with no backslash', 'requires_capture', 'requires_capture'],
    ['backticks (stripped)', 'pay_`x`` ``', 'pay_x '],
    ['newlines (one line)', 'pay_x\nIR_14\r\nz', 'pay_x IR_14 z'],
    ['a command link (inert in a code span)', '[link](command:x)', '[link](command:x)'],
    ['HTML (inert in a code span)', '<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
    ['emphasis characters', '*_x_*', '*_x_*'],
    ['a theme icon (broken by a joiner)', '$(zap)', '$\u2060(zap)'],
  ];
  eachCase(cases, (what) => `puts ${what} in a code span`, codeSpan, (md, content, input) => {
    assert.ok(md.startsWith('`') && md.endsWith('`'), md);
    const inner = md.slice(1, -1);
    assert.equal(inner, content);
    assert.ok(!inner.includes('`'), 'a backtick inside');
    if (!input.includes('\\')) assert.ok(!md.includes('\\'), `a backslash was added: ${md}`);
  });

  it('keeps spaces at both ends (CommonMark strips one of each)', () => {
    assert.equal(codeSpan(' a '), '`  a  `');
    assert.equal(codeSpan(' a'), '` a`');
  });

  it('is empty when nothing is left', () => {
    assert.equal(codeSpan(''), '');
    assert.equal(codeSpan('``'), '');
    assert.equal(codeSpan('\n'), '');
  });

  it('escapes | in a table cell only, so that the cell does not end there', () => {
    assert.equal(codeSpan('a|b'), '`a|b`');
    assert.equal(codeSpan('a|b', { inTable: true }), '`a\\|b`');
    // A backslash before | in the data: a joiner keeps the table's escape its own.
    assert.equal(codeSpan('a\\|b', { inTable: true }), '`a\\\u2060\\|b`');
  });
});
