#!/usr/bin/env node
import type { EventEmitter } from "node:events";
import { accountIdProblem } from "../fields";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, parseFlags, UsageError, type FlagValues } from "../flags";
import { ADMIN_PREFIX } from "./admin";
import { codeOf } from "../thrown";
import { errorMessage } from "./errors";
import { FAULT_EXAMPLE } from "./faults";
import { startEmulator } from "./server";
import { DEFAULT_TRAFFIC_INTERVAL_MS } from "./traffic";
import type { StartOptions } from "./server";
import type { RunningEmulator } from "./types";

/** Where the CLI writes; tests pass their own to read what a user would see. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export type CliResult = { status: "running"; emulator: RunningEmulator } | { status: "exited"; code: number };

const DEFAULT_PORT = 8787;
const MAX_PORT = 65_535;

const USAGE = `usage: fansly-emulator [--port 8787] [--api-key KEY]... [--account ID]... [--data FILE]
                       [--latency-ms N] [--page-size N] [--simulate-traffic SEED]

  --port N         port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --api-key KEY    an accepted x-api-key; repeat for more (default: dev-key)
  --account ID     an account id; repeat for more (default: fansly_demo)
  --data FILE      keep the state in FILE (JSON) across restarts
  --latency-ms N   wait N milliseconds before every API reply (default 0)
  --page-size N    page the tracking-link list, N links a page (default: unpaginated, like Fansly)
  --simulate-traffic SEED
                   grow every link's clicks, claims, follows, subscriptions and money each second,
                   seeded (same SEED, same traffic); counters can also be set with POST /__emulator/counters
  --help           show this help`;

const FLAGS = {
  port: { type: "string" },
  "api-key": { type: "string", multiple: true },
  account: { type: "string", multiple: true },
  data: { type: "string" },
  "latency-ms": { type: "string" },
  "page-size": { type: "string" },
  "simulate-traffic": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const processIo: CliIo = {
  out: (line) => {
    process.stdout.write(`${line}\n`);
  },
  err: (line) => {
    process.stderr.write(`${line}\n`);
  },
};

/**
 * Runs `fansly-emulator` with the given arguments (without `node` and the script). Returns the running emulator,
 * or the exit code when it did not start: 0 for --help, 2 for bad flags, 1 when starting failed.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<CliResult> {
  let parsed: FlagValues<typeof FLAGS>;
  try {
    parsed = parseFlags(argv, FLAGS, "--port 8787");
  } catch (error) {
    io.err(`fansly-emulator: ${errorMessage(error)}\nrun fansly-emulator --help for every flag`);
    return { status: "exited", code: EXIT_USAGE };
  }
  if (parsed.help === true) {
    io.out(USAGE);
    return { status: "exited", code: EXIT_OK };
  }
  let options: StartOptions;
  try {
    options = optionsFrom(parsed);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`fansly-emulator: ${error.message}`);
    return { status: "exited", code: EXIT_USAGE };
  }
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    io.err(`fansly-emulator: ${startProblem(error, options.port ?? DEFAULT_PORT)}`);
    return { status: "exited", code: EXIT_FAILURE };
  }
  announce(emulator, options, io);
  return { status: "running", emulator };
}

function optionalWholeNumber(
  flag: string,
  text: string | undefined,
  minimum: number,
  example: number,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < minimum) {
    throw new UsageError(`--${flag} must be a whole number of at least ${minimum}, e.g. --${flag} ${example}`);
  }
  return value;
}

function requireNotBlank(values: readonly string[] | undefined, problem: string): void {
  if (values?.some((value) => value.trim() === "") === true) throw new UsageError(problem);
}

/** Turns the flags into startEmulator options, or throws a UsageError naming the bad flag and the fix. */
function optionsFrom(flags: FlagValues<typeof FLAGS>): StartOptions {
  const port = optionalWholeNumber("port", flags.port, 0, DEFAULT_PORT) ?? DEFAULT_PORT;
  if (port > MAX_PORT) throw new UsageError(`--port must be at most ${MAX_PORT}; 0 picks a free port`);
  requireNotBlank(
    flags["api-key"],
    "--api-key must not be empty: pass the key clients will send, e.g. --api-key dev-key",
  );
  requireNotBlank(flags.account, "--account must not be empty: pass an account id, e.g. --account fansly_demo");
  // The provider refuses an account id that breaks the shared rule: an emulator holding one could not be used.
  const badAccount = flags.account?.map(accountIdProblem).find((problem) => problem !== undefined);
  if (badAccount !== undefined) throw new UsageError(`--account ${badAccount}`);
  const data = flags.data === undefined ? undefined : [flags.data];
  requireNotBlank(data, "--data must name a file, e.g. --data ./state.json");
  return {
    port,
    apiKeys: flags["api-key"],
    accounts: flags.account,
    dataFile: flags.data,
    latencyMs: optionalWholeNumber("latency-ms", flags["latency-ms"], 0, 250),
    pageSize: optionalWholeNumber("page-size", flags["page-size"], 1, 50),
    ...trafficFrom(flags["simulate-traffic"]),
  };
}

function trafficFrom(text: string | undefined): Pick<StartOptions, "simulateTraffic"> {
  const seed = optionalWholeNumber("simulate-traffic", text, 0, 7);
  return seed === undefined ? {} : { simulateTraffic: { seed } };
}

function startProblem(error: unknown, port: number): string {
  if (codeOf(error) === "EADDRINUSE") {
    return `port ${port} is already in use: stop what is using it or pick another with --port`;
  }
  return errorMessage(error);
}

// The key is configuration a user typed, maybe a real one by mistake: say whether it is set, never what it is.
function announce(emulator: RunningEmulator, options: StartOptions, io: CliIo): void {
  const keyCount = options.apiKeys?.length ?? 0;
  const keys = keyCount === 0 ? "key: default" : keyCount === 1 ? "key: set" : `keys: ${keyCount} set`;
  const accounts = emulator.store.accountIds().join(", ");
  io.out(`fansly emulator listening on ${emulator.url} (accounts: ${accounts}; ${keys})`);
  io.out(
    `controls: GET ${emulator.url}${ADMIN_PREFIX}/state, GET|DELETE ${ADMIN_PREFIX}/requests, ` +
      `GET|POST|DELETE ${ADMIN_PREFIX}/faults (POST a fault such as ${FAULT_EXAMPLE})`,
  );
  if (options.dataFile !== undefined) io.out(`state file: ${options.dataFile}`);
  if (options.simulateTraffic !== undefined) {
    io.out(`traffic: simulated, seed ${options.simulateTraffic.seed}, a tick every ${DEFAULT_TRAFFIC_INTERVAL_MS / 1000} s; POST ${ADMIN_PREFIX}/counters sets a link's counters`);
  }
}

const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** Closes the emulator on SIGINT or SIGTERM; returns the function that stops listening for them. */
export function closeOnSignals(
  emulator: RunningEmulator,
  signals: Pick<EventEmitter, "once" | "off">,
  io: CliIo = processIo,
): () => void {
  const stop = (): void => {
    detach();
    void emulator.close().then(() => {
      io.out("fansly emulator stopped");
    });
  };
  const detach = (): void => {
    for (const signal of STOP_SIGNALS) signals.off(signal, stop);
  };
  for (const signal of STOP_SIGNALS) signals.once(signal, stop);
  return detach;
}

async function main(): Promise<void> {
  const result = await runCli(process.argv.slice(2));
  if (result.status === "exited") {
    process.exitCode = result.code;
    return;
  }
  closeOnSignals(result.emulator, process);
}

if (require.main === module) void main();
