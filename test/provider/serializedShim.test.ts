/**
 * The serialized provider text, loaded the way the dynamic-provider host loads it (`handler()` of the module the
 * text defines, then `configure`, then the lifecycle), against the emulator. `pulumi-fansly/provider` is resolved
 * to the sources here; in a stack it comes from the stack's node_modules.
 */
import { serializeFunction } from "@pulumi/pulumi/runtime";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import * as providerModule from "../../src/provider";
import type { TrackingLinkOutputs } from "../../src/provider";
import { trackingLinkProvider } from "../../src/provider/serializedForm";

const KEY = "shim-test-key-5678";
const ACCOUNT = "fansly_demo";

/** What a host-side provider object looks like to the host: methods it may or may not have. */
interface HostView {
  configure?: (request: { config: { get(key: string): string | undefined } }) => Promise<void>;
  check?: (olds: object, news: object) => Promise<{ inputs?: object; failures?: unknown[] }>;
  create: (inputs: object) => Promise<{ id: string; outs?: TrackingLinkOutputs }>;
  read?: (id: string, props: object) => Promise<{ id?: string; props?: object }>;
  update?: (id: string, olds: object, news: object) => Promise<{ outs?: object }>;
  delete?: (id: string, props: object) => Promise<void>;
}

/** Evaluates serialized text as the host's requireFromString does, with the package name resolved to src. */
function loadAsHost(text: string): HostView {
  const module = { exports: {} as { handler?: () => HostView } };
  const requireForShim = (name: string): unknown => {
    if (name === "pulumi-fansly/provider") return providerModule;
    throw new Error(`the shim required ${name}; it may only load pulumi-fansly/provider`);
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- this is how the host evaluates the text
  const evaluate = new Function("exports", "require", "module", text) as (e: object, r: typeof requireForShim, m: object) => void;
  evaluate(module.exports, requireForShim, module);
  const handler = module.exports.handler;
  if (handler === undefined) throw new Error("serialized text has no handler");
  return handler();
}

/** The seven-method form an earlier build of the shim wrote into state. */
const OLDER_SHIM_TEXT = `exports.handler = __f0;
var __provider = {configure: __f1, create: __f2, delete: __f3};
function __f1(request) { return require("pulumi-fansly/provider").trackingLinkImplementation.configure(request); }
function __f2(inputs) { return require("pulumi-fansly/provider").trackingLinkImplementation.create(inputs); }
function __f3(id, props) { return require("pulumi-fansly/provider").trackingLinkImplementation.delete(id, props); }
function __f0() { return __provider; }`;

let emulator: RunningEmulator;
const config = (): { config: { get(key: string): string | undefined } } => ({
  config: {
    get: (key) => ({ "fansly:apiKey": KEY, "fansly:baseUrl": emulator.url, "fansly:accountId": ACCOUNT })[key],
  },
});

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT] });
});

afterAll(async () => {
  await providerModule.trackingLinkImplementation.close();
  await emulator.close();
});

describe("the serialized shim", () => {
  test("after configure it has every lifecycle method, and a full lifecycle works through it", async () => {
    const serialized = await serializeFunction(() => trackingLinkProvider, { allowSecrets: true });
    const provider = loadAsHost(serialized.text);
    expect(Object.keys(provider).sort()).toEqual(["configure", "create"]);
    await provider.configure?.(config());
    expect(Object.keys(provider).sort()).toEqual(["check", "configure", "create", "delete", "diff", "read", "update"]);

    const checked = await provider.check?.({}, { label: "Via shim" });
    const created = await provider.create(checked?.inputs ?? {});
    const outs = created.outs ?? ({} as TrackingLinkOutputs);
    expect(emulator.store.customLinks(ACCOUNT).map((l) => l.label)).toEqual(["Via shim"]);
    await provider.update?.(created.id, outs, { label: "Renamed", description: "", accountId: ACCOUNT });
    expect((await provider.read?.(created.id, outs))?.props).toMatchObject({ label: "Renamed" });
    await provider.delete?.(created.id, outs);
    expect(emulator.store.customLinks(ACCOUNT)).toEqual([]);
  });

  test("state written with an older shim text still deletes through the code installed now", async () => {
    const link = emulator.store.createLink(ACCOUNT, { label: "From an old release", description: "" });
    const older = loadAsHost(OLDER_SHIM_TEXT);
    await older.configure?.(config());
    await older.delete?.(link.id, { trackingLinkId: link.id, accountId: ACCOUNT, label: link.label, __provider: OLDER_SHIM_TEXT });
    expect(emulator.store.customLinks(ACCOUNT)).toEqual([]);
  });
});
