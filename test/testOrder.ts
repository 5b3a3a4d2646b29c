// Runs a mocha suite in another order than the one written, to show that no test leans on data another
// test made or on running after it. PERFECTPAY_TEST_ORDER=
//   reverse        every suite's tests, and its child suites (so the files too), in reverse;
//   shuffle[:SEED] shuffled the same way, with SEED (printed, default: random) to replay an order.
//
//   unit:            PERFECTPAY_TEST_ORDER=reverse mocha --config .mocharc.json --require out/test/testOrder.js
//   e2e:             PERFECTPAY_TEST_ORDER=shuffle:7 mocha --config test/e2e/.mocharc.js --require out/test/testOrder.js
//   extension host:  node out/test/runVsCodeTests.js --order reverse   (test/vscode/index.ts calls reorder())
import type Mocha from 'mocha';
import { seededRng } from '../src/sandbox/random';

/** Reorders `root` (tests and child suites, recursively) as `order` says; returns what was done, for the log. */
export function reorder(root: Mocha.Suite, order: string | undefined): string | undefined {
  if (!order) return undefined;
  const m = /^(reverse|shuffle)(?::(\d+))?$/.exec(order);
  if (!m) throw new Error(`PERFECTPAY_TEST_ORDER must be "reverse" or "shuffle[:SEED]", not "${order}"`);
  const seed = m[2] !== undefined ? Number(m[2]) : Math.floor(Math.random() * 1_000_000);
  const random = seededRng(seed);
  const arrange = <T>(items: T[]): void => {
    if (m[1] === 'reverse') items.reverse();
    else {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
    }
  };
  const walk = (suite: Mocha.Suite): void => {
    arrange(suite.tests);
    arrange(suite.suites);
    suite.suites.forEach(walk);
  };
  walk(root);
  return m[1] === 'reverse' ? 'tests in reverse order' : `tests shuffled with seed ${seed} (PERFECTPAY_TEST_ORDER=shuffle:${seed} replays it)`;
}

/** Mocha root hook (with --require): reorders the whole run before its first test. */
export const mochaHooks = {
  beforeAll(this: Mocha.Context): void {
    const root = this.test?.parent;
    const done = root && reorder(root, process.env.PERFECTPAY_TEST_ORDER);
    if (done) console.log(`  (${done})`);
  },
};
