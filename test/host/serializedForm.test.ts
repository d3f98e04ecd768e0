/**
 * The provider text a program writes when pulumi-fansly is installed as npm installs it (a real folder under the
 * stack's node_modules): a `require()` of the package, not a copy of code. Made the way `pulumi.dynamic.Resource`
 * makes it, in a separate Node process whose working directory is the stack (as under `pulumi up`), then run
 * through the real provider host.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { Engine, ProviderHost } from "./providerHost";
import { preparedStackDir } from "./stack";

const KEY = "host-serialized-form-key-77c1";
const ACCOUNT = "fansly_form";
/** Issue 12's target: the provider is stored twice per link, and every step rewrites the whole state. */
const MAX_PROVIDER_BYTES = 300;

/** Serializes the provider exactly as the SDK's dynamic.Resource does (`() => provider`), from the stack folder. */
const SERIALIZE = `
const { serializeFunction } = require("@pulumi/pulumi/runtime");
const provider = require("pulumi-fansly").trackingLinkProvider;
serializeFunction(() => provider, { allowSecrets: true }).then((s) => process.stdout.write(s.text));
`;

let emulator: RunningEmulator;
let host: ProviderHost;
let text: string;

beforeAll(async () => {
  const stackDir = preparedStackDir();
  ({ stdout: text } = await promisify(execFile)(process.execPath, ["-e", SERIALIZE], { cwd: stackDir, env: { PATH: process.env.PATH } }));
  emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT] });
  host = await ProviderHost.start(stackDir);
  await host.configure({ "fansly:apiKey": KEY, "fansly:baseUrl": emulator.url, "fansly:accountId": ACCOUNT });
});

afterAll(async () => {
  await host.stop();
  await emulator.close();
});

describe("the provider text of an installed package", () => {
  test(`is a require() of the package's shim, at most ${MAX_PROVIDER_BYTES} bytes, with no code and no path of this machine`, () => {
    expect(text).toContain('require("pulumi-fansly/dist/provider/shim.js")');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_PROVIDER_BYTES);
    expect(text).not.toMatch(/configure|attachTrackingLinkMethods|zod|undici/);
    expect(text).not.toContain(preparedStackDir());
  });

  test("the host loads it and runs a link's whole life through it", async () => {
    const engine = new Engine(host, text);
    const { step, state } = await engine.up("bio", { label: "Twitter bio" });
    expect(step).toBe("create");
    expect(emulator.store.customLinks(ACCOUNT).map((link) => link.label)).toEqual(["Twitter bio"]);
    const renamed = await engine.up("bio", { label: "Twitter pinned" }, state);
    expect(renamed.step).toBe("update");
    await engine.destroy(renamed.state);
    expect(emulator.store.customLinks(ACCOUNT)).toEqual([]);
    expect(host.output()).not.toContain(KEY);
  });
});
