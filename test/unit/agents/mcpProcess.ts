// `perfectpay mcp` as its own process, for the MCP test (the CLI's entry, src/cli/main.ts, is built
// apart): `node out/test/unit/agents/mcpProcess.js --sandbox`.
import { mcpCommand } from '../../../src/cli/mcp';

const stop = new AbortController();
process.once('SIGTERM', () => stop.abort());
process.once('SIGINT', () => stop.abort());
mcpCommand
  .run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: stop.signal })
  .then((code) => process.exit(code), (e: unknown) => {
    process.stderr.write(`perfectpay mcp: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
