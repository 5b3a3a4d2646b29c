/**
 * `perfectpay sandbox`: the sandbox's own command (src/sandbox/cli.ts, also `npm run sandbox`), its
 * flags and their checks kept there; stopped by the tool's SIGINT / SIGTERM through `io.signal`.
 */
import { main } from '../sandbox/cli';
import type { CliCommand } from './command';

export const sandboxCommand: CliCommand = {
  name: ['sandbox'],
  summary: 'Run a local, stateful PerfectPay sandbox until Ctrl+C or SIGTERM (port, keys, seed, snapshot, faults)',
  run: (args, io) => main(args, io),
};
