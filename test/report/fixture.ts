/** An emulator holding two accounts with traffic, the report command run against it, and readers for its outputs. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runReportCommand } from "../../src/cli/reportCommand";
import { startEmulator, TrafficSimulator, type RunningEmulator } from "../../src/emulator";
import { runCaptured, type CliRun } from "../cli/capturedIo";

export const KEY = "report-canary-key-51e2a7";
export const ALPHA = "fansly_alpha";
export const BETA = "fansly_beta";
/** Labels that a table must truncate, a CSV must quote, and a spreadsheet must not run as a formula. */
export const AWKWARD_LABELS = ["Twitter bio — pinned profile link, the long one", 'Reddit "hot" post, #3', "=HYPERLINK(1)", "🎉 launch"];

export interface Fixture {
  emulator: RunningEmulator;
  dir: string;
  traffic: TrafficSimulator;
  run(argv: string[], env?: NodeJS.ProcessEnv): Promise<CliRun>;
  close(): Promise<void>;
}

/** 26 links in ALPHA (more than the chart's top 20), 4 in BETA, an empty third account, and traffic in all. */
export async function startFixture(options: { emptyAccount?: string } = {}): Promise<Fixture> {
  const emulator = await startEmulator({ apiKeys: [KEY], accounts: [ALPHA, BETA, ...(options.emptyAccount === undefined ? [] : [options.emptyAccount])] });
  emulator.store.seedLinks(ALPHA, 22, "Campaign ");
  for (const label of AWKWARD_LABELS) emulator.store.createLink(ALPHA, { label, description: "" });
  emulator.store.seedLinks(BETA, 4, "Reddit post #");
  const traffic = new TrafficSimulator(emulator.store, 42);
  traffic.tick(120);
  const dir = await mkdtemp(join(tmpdir(), "pulumi-fansly-report-"));
  return {
    emulator,
    dir,
    traffic,
    run: (argv, env = { FANSLY_API_KEY: KEY, FANSLY_API_BASE_URL: emulator.url }) => runCaptured(runReportCommand, argv, { env, cwd: dir }),
    close: async () => {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Terminal columns a line takes: emoji and CJK take two (an independent count, not the renderer's). */
export function columns(line: string): number {
  return Array.from(line).reduce((width, char) => width + ((char.codePointAt(0) ?? 0) >= 0x1f000 ? 2 : 1), 0);
}

/** RFC 4180, as a spreadsheet reads it. */
export function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += c;
  }
  const [header = [], ...rows] = records;
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ""])));
}

/** `1,234` → 1234, `+12` → 12, `17.9%` → 0.179, `–` → null. */
export function numberOf(shown: string): number | null {
  if (shown === "–" || shown === "") return null;
  const plain = Number(shown.replace(/[,+%]/g, ""));
  return shown.endsWith("%") ? plain / 100 : plain;
}
