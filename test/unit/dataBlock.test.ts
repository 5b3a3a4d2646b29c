// The inspector's first model travels in its page as a JSON data block (src/inspector/html.ts): the
// text must parse back to the same value, and nothing a server sends may end the element early.
import assert from 'node:assert/strict';
import { jsonForDataBlock } from '../../src/domain/text';

describe('jsonForDataBlock', () => {
  const hostile = [
    '</script><script>alert(1)</script>',
    '</SCRIPT >',
    '<!-- <script>',
    '<img src=x onerror=alert(1)>',
    '\u2028\u2029 & " \' \\ </',
  ];

  for (const text of hostile) {
    it(`keeps ${JSON.stringify(text)} as data`, () => {
      const value = { paymentId: 'pay_x', description: text, nested: [{ note: text }] };
      const block = jsonForDataBlock(value);
      assert.equal(block.includes('<'), false, 'no < may reach the page');
      assert.deepEqual(JSON.parse(block), value);
    });
  }
});
