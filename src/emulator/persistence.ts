import { existsSync, readFileSync } from "node:fs";
import { replaceFileSync } from "../outputFiles";
import { errorMessage } from "./errors";
import type { EmulatorStore } from "./store";

/** Loads the data file into the store when the file exists; a bad file is an error naming the file and the fix. */
export function loadDataFile(store: EmulatorStore, dataFile: string): void {
  if (!existsSync(dataFile)) return;
  let snapshot: unknown;
  try {
    snapshot = JSON.parse(readFileSync(dataFile, "utf8")) as unknown;
  } catch (error) {
    throw new Error(`${dataFile} is not readable JSON (${errorMessage(error)}); fix it or delete it to start fresh`, {
      cause: error,
    });
  }
  try {
    store.load(snapshot);
  } catch (error) {
    throw new Error(`${dataFile} is ${errorMessage(error)}; fix it or delete it to start fresh`, { cause: error });
  }
}

/**
 * Replaces the data file with the whole state (src/outputFiles.ts: a crash mid-write leaves the old file, never half
 * a file). Synchronous on purpose: two changes cannot interleave their writes, and the reply to a change leaves only
 * once the change is on disk — so "survives a restart" holds for every acknowledged call.
 */
export function saveDataFile(store: EmulatorStore, dataFile: string): void {
  try {
    replaceFileSync(dataFile, `${JSON.stringify(store.toJSON(), null, 2)}\n`);
  } catch (error) {
    const problem = `cannot write the data file ${dataFile} (${errorMessage(error)})`;
    throw new Error(`${problem}; check its folder exists and is writable`, { cause: error });
  }
}
