/** What the emulator's request log (and its store) says, in the words the end-to-end tests assert on. */
import type { RunningEmulator } from "../../src/emulator";

/** Every API request since the log was last cleared, as "METHOD /path", oldest first. */
export function callsOf(emulator: RunningEmulator): string[] {
  return emulator.requests().map((r) => `${r.method} ${r.path}`);
}

/** The requests that change something (every method but GET), as "METHOD /path". */
export function writesOf(emulator: RunningEmulator): string[] {
  return callsOf(emulator).filter((call) => !call.startsWith("GET "));
}

/** The labels of an account's custom links, sorted: what the emulator holds now. */
export function labelsIn(emulator: RunningEmulator, account: string): string[] {
  return emulator.store
    .customLinks(account)
    .map((link) => link.label)
    .sort();
}
