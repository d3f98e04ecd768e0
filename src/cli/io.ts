/** What a subcommand may touch of the process: injected, so tests run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Standard input, read whole (for commands that filter text). */
  readStdin: () => Promise<string>;
}

/** A subcommand: its arguments after the subcommand name; resolves to the exit code. */
export type Subcommand = (argv: readonly string[], io: CliIo) => Promise<number>;
