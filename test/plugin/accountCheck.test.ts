/**
 * The plugin face's Check refuses an account the key does not have, as the engine calls it over gRPC (previous
 * inputs in `olds`, unknowns as the engine's marker), against a real emulator whose request log shows the listing.
 */
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as rpc from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { TrackingLinkImplementation } from "../../src/provider";
import { startProviderServer, type RunningProviderServer } from "../../src/plugin/server";
import { PLUGIN_TRACKING_LINK_TYPE } from "../../src/plugin/tokens";
import { secretOf, UNKNOWN_VALUE, type PropertyValues } from "../../src/plugin/wire";
import { call } from "./unaryCall";

const KEY = "plugin-account-key-9d04e2";

let emulator: RunningEmulator;
let server: RunningProviderServer;
let implementation: TrackingLinkImplementation;
let client: ResourceProviderClient;

/** Check as the engine sends it; the failures as "property: reason". */
async function check(name: string, olds: PropertyValues, news: PropertyValues): Promise<string[]> {
  const request = new rpc.CheckRequest()
    .setUrn(`urn:pulumi:dev::test::${PLUGIN_TRACKING_LINK_TYPE}::${name}`)
    .setType(PLUGIN_TRACKING_LINK_TYPE)
    .setOlds(Struct.fromJavaScript(olds))
    .setNews(Struct.fromJavaScript(news));
  const response = await call(client.check.bind(client), request);
  return response.getFailuresList().map((failure) => `${failure.getProperty()}: ${failure.getReason()}`);
}

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [KEY], accounts: ["fansly_demo", "fansly_second"] });
  implementation = new TrackingLinkImplementation(undefined, {});
  server = await startProviderServer({ implementation });
  client = new ResourceProviderClient(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  const args = Struct.fromJavaScript({ apiKey: secretOf(KEY), baseUrl: emulator.url, accountId: "fansly_dmeo", maxRetries: 0 });
  await call(client.configure.bind(client), new rpc.ConfigureRequest().setArgs(args).setAcceptsecrets(true));
});

afterAll(async () => {
  client.close();
  await server.close();
  await implementation.close();
  await emulator.close();
});

describe("Check of the account", () => {
  test("links staying in their account or with an account not yet known send nothing; a typo'd default is refused after one listing", async () => {
    const stored = { label: "Bio", description: "", accountId: "fansly_demo" };
    expect(await check("stays", stored, { label: "Bio v2", accountId: "fansly_demo" })).toEqual([]);
    expect(await check("later", {}, { label: "Later", accountId: UNKNOWN_VALUE })).toEqual([]);
    expect(emulator.requests()).toEqual([]);

    const refused = await Promise.all(["a", "b", "c"].map((name) => check(name, stored, { label: "Bio" })));
    for (const failures of refused) {
      expect(failures).toEqual([expect.stringMatching(/^accountId: fansly_dmeo, the provider's default account, is not an account of this apifansly key, which has fansly_demo, fansly_second; did you mean fansly_demo\?/)]);
      expect(failures[0]).toContain("pulumi config set fansly:accountId fansly_demo");
    }
    expect(emulator.requests().map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/fansly/accounts"]);
  });
});
