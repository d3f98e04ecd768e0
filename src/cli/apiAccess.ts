/**
 * How every `pulumi-fansly` subcommand that talks to the API gets its key and base URL. One place, so `import` and
 * `report` cannot come to disagree on where a key may come from.
 */
import { FanslyClient, FanslyConfigError, FanslyError, type FanslyLogEvent } from "../client";
import { accountIdProblem } from "../fields";
import { UsageError } from "../flags";
import type { Subcommand } from "./io";
import { messageOf } from "../thrown";
import { subcommand, type SubcommandSpec } from "./subcommand";

export { UsageError } from "../flags";

/** The parseArgs options every API command accepts (`--api-key` only so that it can be refused by name). */
export const API_ACCESS_FLAGS = {
  "base-url": { type: "string" },
  "api-key": { type: "string" },
} as const;

/** The help lines for API_ACCESS_FLAGS and the key's source, shared by every API command's usage text. */
export const API_ACCESS_HELP = "  --base-url <url>   API origin; default: FANSLY_API_BASE_URL, else https://v1.apifansly.com";
export const API_KEY_HELP = "The API key is read from FANSLY_API_KEY only: a key given as a flag would stay in shell history and in `ps`.";
/** Where a CLI user sets each client option a FanslyError may name; the others keep their defaults here. */
const CLI_SOURCES: Readonly<Record<string, string>> = { apiKey: "FANSLY_API_KEY", baseUrl: "--base-url or FANSLY_API_BASE_URL" };

/** Follows a FanslyError's message: where, on this command line, the options it names are set (only those). */
function whereSetOnCommandLine(error: FanslyError): string {
  const sources = error.options.flatMap((option) => CLI_SOURCES[option] ?? []);
  return sources.length === 0 ? "" : ` (here: ${sources.join(", and ")})`;
}

/** Checks an --account value with the shared field rule (src/fields.ts): the provider refuses what this refuses. */
export function checkAccountFlag(accountId: string): string {
  const problem = accountIdProblem(accountId);
  if (problem !== undefined) throw new UsageError(`--account ${problem}`);
  return accountId;
}
export interface ApiAccess {
  apiKey: string;
  baseUrl: string | undefined;
}

type FlagValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** Refused, not ignored: the key is already in this shell's history, and the user should know to rotate it. */
export function refuseApiKeyFlag(values: FlagValues): void {
  if (values["api-key"] !== undefined) {
    throw new UsageError("--api-key is not accepted (a key on the command line stays in shell history and `ps`): set FANSLY_API_KEY instead, and consider rotating that key");
  }
}

/** The key from FANSLY_API_KEY, the base URL from --base-url or FANSLY_API_BASE_URL. */
export function apiAccessFrom(values: FlagValues, env: NodeJS.ProcessEnv): ApiAccess {
  refuseApiKeyFlag(values);
  const apiKey = nonEmpty(env.FANSLY_API_KEY);
  if (apiKey === undefined) throw new UsageError("FANSLY_API_KEY is not set: export FANSLY_API_KEY=<your apifansly key> (read from the environment only)");
  return { apiKey, baseUrl: stringFlag(values["base-url"]) ?? nonEmpty(env.FANSLY_API_BASE_URL) };
}

export function clientFor(access: ApiAccess, logger?: (event: FanslyLogEvent) => void): FanslyClient {
  return new FanslyClient({
    apiKey: access.apiKey,
    ...(access.baseUrl === undefined ? {} : { baseUrl: access.baseUrl }),
    ...(logger === undefined ? {} : { logger }),
  });
}

export function stringFlag(value: FlagValues[string]): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/**
 * An API subcommand: built as every subcommand is (src/cli/subcommand.ts). The client's errors name its options
 * (`apiKey`, `baseUrl`); this adds where this command line sets them. A bad option (a FanslyConfigError) is a usage
 * error.
 */
export function apiSubcommand<Options>(spec: SubcommandSpec<Options>): Subcommand {
  return subcommand({
    ...spec,
    run: async (options, io) => {
      try {
        return await spec.run(options, io);
      } catch (error) {
        if (error instanceof FanslyConfigError) throw new UsageError(`${error.message}${whereSetOnCommandLine(error)}`);
        throw error;
      }
    },
    describeFailure: (error, options) => `${spec.describeFailure?.(error, options) ?? messageOf(error)}${error instanceof FanslyError ? whereSetOnCommandLine(error) : ""}`,
  });
}
