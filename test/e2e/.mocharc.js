// The end-to-end suite's mocha options. Its time limit per test and hook comes from the one table of e2e
// timeouts (test/e2e/timeouts.ts, compiled to out/ before mocha runs), so PERFECTPAY_TIMEOUT_SCALE scales it too.
const path = require('path');
const { timeouts } = require(path.join(__dirname, '../../out/test/e2e/timeouts.js'));
module.exports = {
  spec: ['out/test/e2e/**/*.e2e.js'],
  timeout: timeouts.test,
  slow: 20000,
  reporter: 'spec',
};
