/**
 * `perfectpay`: PerfectPay Explorer's command-line tool, bundled into one file (dist/perfectpay.js,
 * Node 20, no dependencies) for a user's CI and containers. Each subcommand is a CliCommand
 * (./command.ts) in its own module, listed once below. Conventions (Stripe CLI's): `--help` on every
 * command, `--version`, flags parsed strictly (`util.parseArgs`), a bad flag is one line on stderr
 * and exit code 2, SIGINT / SIGTERM stop a long-running command cleanly (through `io.signal`).
 */
import { VERSION } from './version';
import type { CliCommand, CliIo } from './command';
import { sandboxCommand } from './sandbox';
import { matrixCommand, scenariosRunCommand } from './scenarios';

/**
 * `perfectpay mcp` (./mcp.ts) as listed here: the MCP SDK and the agent tools (a third of the bundle) are
 * loaded when it runs, so that the other commands start without them. Its name and summary are mcp.ts's
 * (a unit test compares them).
 */
export const lazyMcpCommand: CliCommand = {
  name: ['mcp'],
  summary: 'the payment tools as a Model Context Protocol server over stdio (for agents)',
  run: async (args, io) => (await import('./mcp.js')).mcpCommand.run(args, io),
};

/** The subcommands, one line each. */
export const COMMANDS: readonly CliCommand[] = [
  sandboxCommand,
  scenariosRunCommand,
  matrixCommand,
  lazyMcpCommand,
];

export { VERSION };

export function usage(commands: readonly CliCommand[] = COMMANDS): string {
  const names = commands.map((c) => c.name.join(' '));
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return `Usage: perfectpay <command> [options]

PerfectPay outside VS Code: a stateful local sandbox, and the scenario files of the Testing view run in CI.

Commands:
${commands.map((c, i) => `  ${names[i]!.padEnd(width)}${c.summary}`).join('\n')}

Options:
  -h, --help    show this help (also after a command: perfectpay sandbox --help)
  --version     show the version

The API key of a server is read from PERFECTPAY_API_KEY, never from a flag.
`;
}

/** Runs the command `argv` names; resolves the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  // The longest name that starts the arguments ("scenarios run" before a "scenarios" of its own).
  const command = [...commands].sort((a, b) => b.name.length - a.name.length).find((c) => c.name.every((w, i) => argv[i] === w));
  if (command) return command.run(argv.slice(command.name.length), io);
  const [first] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io.stdout.write(usage(commands));
    return 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const fail = (message: string): number => {
    io.stderr.write(`perfectpay: ${message} (see perfectpay --help)\n`);
    return 2;
  };
  if (first.startsWith('-')) return fail(`unknown option: ${first}`);
  // The first word of a longer command ("perfectpay scenarios"): its commands.
  const group = commands.filter((c) => c.name.length > 1 && c.name[0] === first);
  if (group.length) {
    const known = group.map((c) => `perfectpay ${c.name.join(' ')}`).join(', ');
    if (argv[1] === undefined || argv[1] === '--help' || argv[1] === '-h') {
      io.stdout.write(`Usage: ${group.map((c) => `perfectpay ${c.name.join(' ')} [options]   ${c.summary}`).join('\n       ')}\n`);
      return argv[1] === undefined ? 2 : 0;
    }
    return fail(`unknown command "${first} ${argv[1]}"; try ${known}`);
  }
  return fail(`unknown command "${first}"`);
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function main(): void {
  const ac = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second Ctrl+C: do not wait for a clean stop.
    if (ac.signal.aborted) process.exit(130);
    ac.abort(signal);
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: ac.signal };
  const done = (code: number): void => {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    process.exitCode = code;
    // Whatever a command left open (a keep-alive socket), the process ends soon after its answer.
    setTimeout(() => process.exit(code), 2000).unref();
  };
  runCli(process.argv.slice(2), io).then(done, (e: unknown) => {
    process.stderr.write(`perfectpay: ${e instanceof Error ? e.message : String(e)}\n`);
    done(1);
  });
}

if (require.main === module) main();
