/**
 * Runs through the real dynamic-provider host (test/host/providerHost.ts) without the CLI: cold start, N creates
 * then N deletes at a fixed in-flight count against an emulator with latency, the same work sent with raw undici,
 * and N creates against an emulator that enforces a per-minute limit.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { ProviderHost, urnOf, type Props } from "../host/providerHost";
import { BENCH_ACCOUNT, BENCH_KEY, type Variant } from "./cliBench";
import { inParallel, peakRssMb, timed } from "./measure";

const run = promisify(execFile);
const UNBINDING_RATE_LIMIT = 1_000_000;

export interface ColdStart {
  /** Spawn until the host printed its port. */
  portMs: number;
  /** Spawn until the reply to the first call that loads the provider (Check of the first link). */
  firstReplyMs: number;
}

export interface LifecycleFigures {
  createMs: number;
  deleteMs: number;
  /** TCP connections the emulator accepted during the run. */
  connections: number;
  /** Requests beyond one per create and one per delete. */
  retries: number;
  failures: number;
  peakRssMb: number | undefined;
}

export interface RateLimitFigures {
  rate: number;
  links: number;
  ms: number;
  created: number;
  failed: number;
  status429: number;
}

function configFor(emulator: RunningEmulator): Record<string, string> {
  return { "fansly:apiKey": BENCH_KEY, "fansly:baseUrl": emulator.url, "fansly:accountId": BENCH_ACCOUNT };
}

function inputsFor(variant: Variant, providerText: string, i: number): Props {
  const base = { label: `Link ${i}`, description: `benchmark link ${i}`, __provider: providerText };
  // What each provider's check would hand to create: ours fills in the account.
  return variant === "ours" ? { ...base, accountId: BENCH_ACCOUNT } : base;
}

/** The provider text for an emulator: ours does not depend on it; the naive one holds its URL (and key). */
export type ProviderTextFor = (emulatorUrl: string) => Promise<string>;

/** Spawn → port → first Check reply, with a fresh host each time. */
export async function coldStart(stackDir: string, variant: Variant, textFor: ProviderTextFor): Promise<ColdStart> {
  const emulator = await startEmulator({ apiKeys: [BENCH_KEY], accounts: [BENCH_ACCOUNT] });
  const providerText = await textFor(emulator.url);
  const started = process.hrtime.bigint();
  const since = (): number => Number(process.hrtime.bigint() - started) / 1e6;
  const host = await ProviderHost.start(stackDir);
  const portMs = since();
  try {
    await host.configure(configFor(emulator));
    await host.check(urnOf("link-0"), {}, inputsFor(variant, providerText, 0));
    return { portMs, firstReplyMs: since() };
  } finally {
    await host.stop();
    await emulator.close();
  }
}

/** N creates then N deletes through one host, `inFlight` at a time, against an emulator answering after `latencyMs`. */
export async function lifecycle(
  stackDir: string,
  variant: Variant,
  textFor: ProviderTextFor,
  links: number,
  inFlight: number,
  latencyMs: number,
): Promise<LifecycleFigures> {
  const emulator = await startEmulator({ apiKeys: [BENCH_KEY], accounts: [BENCH_ACCOUNT], latencyMs, rateLimitPerMinute: UNBINDING_RATE_LIMIT });
  const providerText = await textFor(emulator.url);
  const host = await ProviderHost.start(stackDir);
  let failures = 0;
  try {
    await host.configure(configFor(emulator));
    const indexes = Array.from({ length: links }, (_, i) => i);
    const created: { urn: string; id: string; properties: Props }[] = [];
    const connectionsBefore = emulator.connectionsOpened();
    const creates = await timed(() =>
      inParallel(indexes, inFlight, async (i) => {
        const urn = urnOf(`link-${i}`);
        try {
          created.push({ urn, ...(await host.create(urn, inputsFor(variant, providerText, i))) });
        } catch {
          failures += 1;
        }
      }),
    );
    const deletes = await timed(() =>
      inParallel(created, inFlight, async (link) => {
        try {
          await host.delete(link.id, link.urn, link.properties);
        } catch {
          failures += 1;
        }
      }),
    );
    return {
      createMs: creates.ms,
      deleteMs: deletes.ms,
      connections: emulator.connectionsOpened() - connectionsBefore,
      retries: Math.max(0, emulator.requests().length - 2 * links),
      failures,
      peakRssMb: peakRssMb(host.pid),
    };
  } finally {
    await host.stop();
    await emulator.close();
  }
}

/** The same creates and deletes with raw undici in its own process (rawUndici.ts). */
export async function rawUndici(links: number, inFlight: number, latencyMs: number): Promise<LifecycleFigures> {
  const emulator = await startEmulator({ apiKeys: [BENCH_KEY], accounts: [BENCH_ACCOUNT], latencyMs, rateLimitPerMinute: UNBINDING_RATE_LIMIT });
  try {
    const settings = { url: emulator.url, key: BENCH_KEY, account: BENCH_ACCOUNT, links, inFlight };
    const { stdout } = await run(process.execPath, [join(__dirname, "rawUndici.js"), JSON.stringify(settings)]);
    const { createMs, deleteMs } = JSON.parse(stdout) as { createMs: number; deleteMs: number };
    return {
      createMs,
      deleteMs,
      connections: emulator.connectionsOpened(),
      retries: Math.max(0, emulator.requests().length - 2 * links),
      failures: 0,
      peakRssMb: undefined,
    };
  } finally {
    await emulator.close();
  }
}

/** N creates through one host against an emulator that enforces `rate` requests a minute. */
export async function rateLimited(
  stackDir: string,
  variant: Variant,
  textFor: ProviderTextFor,
  rate: number,
  links: number,
  inFlight: number,
): Promise<RateLimitFigures> {
  const emulator = await startEmulator({ apiKeys: [BENCH_KEY], accounts: [BENCH_ACCOUNT], rateLimitPerMinute: rate });
  const providerText = await textFor(emulator.url);
  const host = await ProviderHost.start(stackDir);
  let created = 0;
  let failed = 0;
  try {
    await host.configure(configFor(emulator));
    const indexes = Array.from({ length: links }, (_, i) => i);
    const creates = await timed(() =>
      inParallel(indexes, inFlight, async (i) => {
        try {
          await host.create(urnOf(`link-${i}`), inputsFor(variant, providerText, i));
          created += 1;
        } catch {
          failed += 1;
        }
      }),
    );
    const status429 = emulator.requests().filter((request) => request.status === 429).length;
    return { rate, links, ms: creates.ms, created, failed, status429 };
  } finally {
    await host.stop();
    await emulator.close();
  }
}
