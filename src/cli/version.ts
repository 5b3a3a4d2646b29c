/** Written in by the bundle (esbuild's `define`: package.json's version); absent under tsc. */
declare const PERFECTPAY_CLI_VERSION: string | undefined;
/** The `perfectpay` tool's version: `--version`, and what the MCP server tells its clients. */
export const VERSION = typeof PERFECTPAY_CLI_VERSION === 'string' ? PERFECTPAY_CLI_VERSION : '0.0.0-dev';
