/**
 * `node dist/sandbox-cli.js [options]` (`npm run sandbox`): the sandbox's command on its own, the same
 * as `perfectpay sandbox` (src/sandbox/cli.ts). An entry only: nothing imports it.
 */
import { main } from './cli';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`Sandbox failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
