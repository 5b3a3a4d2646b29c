/**
 * `perfectpay scenarios run` and `perfectpay matrix` as the tool lists them. Their work (the engine, the
 * client and undici: most of dist/perfectpay.js) is in ./runScenarios.ts, loaded when one of them runs,
 * so that `perfectpay sandbox` and `--help` start without evaluating it.
 */
import type { CliCommand } from './command';

const load = (): Promise<typeof import('./runScenarios.js')> => import('./runScenarios.js');

export const scenariosRunCommand: CliCommand = {
  name: ['scenarios', 'run'],
  summary: 'Run *.perfectpay.json scenario files against a URL or a sandbox of their own; JUnit XML for CI',
  run: async (args, io) => (await load()).runScenarioFiles(args, io),
};

export const matrixCommand: CliCommand = {
  name: ['matrix'],
  summary: 'Run the test-card matrix (every test card and method of the contract) the same way',
  run: async (args, io) => (await load()).runMatrix(args, io),
};
