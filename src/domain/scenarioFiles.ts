/**
 * How a scenario file is named: the Testing view finds them by this glob, the CLI by this suffix, and
 * "New Scenario from Payment" writes it.
 */
export const SCENARIO_SUFFIX = '.perfectpay.json';
export const SCENARIO_GLOB = '**/*.perfectpay.json';
