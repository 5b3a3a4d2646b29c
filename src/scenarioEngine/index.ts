/**
 * The scenario engine: parse a `*.perfectpay.json` file, validate it, run it through a port (the
 * API's calls, as the Testing view or the CLI makes them), report each step. One engine for every
 * place a scenario runs. It imports no `vscode`; the extension reaches it through the runtime bundle
 * (`scenarioEngine` in src/runtime.ts), loaded on first use.
 */
export * from './scenario';
export * from './runner';
export * from './matrix';
export * from './fromHistory';
export { clientPort, markedPort } from './clientPort';
export { JsonSyntaxError, parseJsonTree, toValue } from './json';
