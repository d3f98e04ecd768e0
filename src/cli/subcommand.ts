/**
 * The one way a `pulumi-fansly` subcommand is built, so they cannot drift apart: flags parsed by src/flags.ts (an
 * unknown flag names the one it most likely meant), bad flags print the message and the usage (exit 2), `--help`
 * prints the usage (exit 0), a UsageError raised while running is the message alone (exit 2: a flag or variable to
 * fix), any other failure is one message (exit 1).
 */
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from "../flags";
import { messageOf } from "../thrown";
import type { CliIo, Subcommand } from "./io";

/** What makes one subcommand: its name in messages, its usage text, how it reads its flags, what it does. */
export interface SubcommandSpec<Options> {
  /** Starts every message, e.g. `pulumi-fansly import`. */
  prefix: string;
  usage: string;
  /** Throws UsageError for bad flags (src/flags.ts `parseFlags` does for unknown ones). */
  parse(argv: readonly string[], env: NodeJS.ProcessEnv): Options | "help";
  /** Resolves to the exit code. */
  run(options: Options, io: CliIo): Promise<number>;
  /** A failure as the one message to print after the prefix (default: the error's message). */
  describeFailure?(error: unknown, options: Options): string;
}

export function subcommand<Options>(spec: SubcommandSpec<Options>): Subcommand {
  return async (argv, io) => {
    let options: Options | "help";
    try {
      options = spec.parse(argv, io.env);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.stderr(`${spec.prefix}: ${error.message}\n\n${spec.usage}`);
      return EXIT_USAGE;
    }
    if (options === "help") {
      io.stdout(spec.usage);
      return EXIT_OK;
    }
    try {
      return await spec.run(options, io);
    } catch (error) {
      if (error instanceof UsageError) {
        io.stderr(`${spec.prefix}: ${error.message}\n`);
        return EXIT_USAGE;
      }
      io.stderr(`${spec.prefix}: ${spec.describeFailure?.(error, options) ?? messageOf(error)}\n`);
      return EXIT_FAILURE;
    }
  };
}

