/**
 * Command-line flags and exit codes, the same for both command lines (`pulumi-fansly …` and `fansly-emulator`):
 * Node's `util.parseArgs`, strict, with messages a new user can act on. Values are then checked by each command with
 * the field rules of src/fields.ts, so a flag refuses what the provider would refuse.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { closestName } from "./fields";
import { codeOf, messageOf } from "./thrown";

/** Done (or nothing to do; or --help, --version). */
export const EXIT_OK = 0;
/** A failure after the flags were accepted, or a decision left to the user: the message says which. */
export const EXIT_FAILURE = 1;
/** A command line the command cannot use (the shell convention for usage errors): a flag or variable to fix. */
export const EXIT_USAGE = 2;

/** A command line the command cannot use; the message names the flag and the fix. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

type FlagOptions = NonNullable<ParseArgsConfig["options"]>;
/** The flags' values, typed from their options. */
export type FlagValues<T extends FlagOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>
>["values"];

/**
 * Parses `argv` against `options`, allowing no positionals. Throws `UsageError`: an unknown flag names the known one
 * it most likely meant; a missing value says so in one sentence; a stray word shows `example`, a flag and its value.
 */
export function parseFlags<T extends FlagOptions>(argv: readonly string[], options: T, example: string): FlagValues<T> {
  try {
    return parseArgs({ args: joinNegativeNumbers(argv, options), options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(describeParseError(error, Object.keys(options), example));
  }
}

/**
 * `--latency-ms -5` is a value that looks like a flag; parseArgs calls it "ambiguous". A negative number cannot
 * be a flag of ours, so it is taken as the value, and the command's own check says what the value must be.
 */
function joinNegativeNumbers(argv: readonly string[], options: FlagOptions): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const next = argv[i + 1];
    const name = arg.startsWith("--") ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

function describeParseError(error: unknown, known: readonly string[], example: string): string {
  const message = messageOf(error);
  const code = codeOf(error) ?? "";
  // node:util's first sentence names the flag; its advice about positionals and "--" does not fit our commands.
  const first = message.split(". ")[0] ?? message;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const flag = /'(-{1,2}[^']*)'/.exec(message)?.[1] ?? "";
    const near = closestName(flag.replace(/^-+/, "").split("=")[0] ?? "", known);
    return near === undefined ? `${first}: --help lists every flag` : `${first}; did you mean --${near}?`;
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return `${first}: every setting is a flag, e.g. ${example}`;
  return first;
}
