/**
 * One subcommand of the `perfectpay` command-line tool (`perfectpay sandbox`, `perfectpay scenarios
 * run`, `perfectpay matrix`, `perfectpay mcp`). Each lives in its own module under src/cli/ and is
 * listed once in the tool's entry; its arguments are parsed with Node's `util.parseArgs`.
 */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT / SIGTERM: a long-running subcommand stops cleanly and resolves its exit code. */
  signal: AbortSignal;
}

export interface CliCommand {
  /** The words that select it: `['sandbox']`, `['scenarios', 'run']`. */
  name: readonly string[];
  /** One line for `perfectpay --help`. */
  summary: string;
  /** Runs with the arguments after its name; resolves the process's exit code (it prints its own `--help`). */
  run(args: string[], io: CliIo): Promise<number>;
}
