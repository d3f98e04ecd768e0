/**
 * The plugin's gRPC server, in process: a gRPC client on 127.0.0.1 calls it as the engine does, and it talks to a
 * real emulator, whose request log shows which calls reached the API.
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as rpc from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { TrackingLinkImplementation } from "../../src/provider";
import { packageVersion } from "../../src/packageVersion";
import { startProviderServer, type RunningProviderServer } from "../../src/plugin/server";
import { PLUGIN_TRACKING_LINK_TYPE } from "../../src/plugin/tokens";
import { secretOf, UNKNOWN_VALUE, unwrapStruct, type PlainValue, type PropertyValues } from "../../src/plugin/wire";
import { call } from "./unaryCall";

const KEY = "plugin-test-key-5b21c9";
const ACCOUNT = "fansly_demo";
const OTHER_ACCOUNT = "fansly_second";
const URN = `urn:pulumi:dev::test::${PLUGIN_TRACKING_LINK_TYPE}::bio`;

let emulator: RunningEmulator;
let server: RunningProviderServer;
let implementation: TrackingLinkImplementation;
let client: ResourceProviderClient;

function struct(values: PropertyValues): Struct {
  return Struct.fromJavaScript(values);
}

async function configure(args: PropertyValues): Promise<rpc.ConfigureResponse> {
  return call(client.configure.bind(client), new rpc.ConfigureRequest().setArgs(struct(args)).setAcceptsecrets(true).setType("pulumi:providers:fansly"));
}

async function check(news: PropertyValues): Promise<rpc.CheckResponse> {
  return call(client.check.bind(client), new rpc.CheckRequest().setUrn(URN).setType(PLUGIN_TRACKING_LINK_TYPE).setNews(struct(news)).setOlds(struct({})));
}

async function create(properties: PropertyValues, preview = false): Promise<{ id: string; outputs: PropertyValues }> {
  const request = new rpc.CreateRequest().setUrn(URN).setType(PLUGIN_TRACKING_LINK_TYPE).setProperties(struct(properties)).setPreview(preview);
  const response = await call(client.create.bind(client), request);
  return { id: response.getId(), outputs: unwrapStruct(response.getProperties()).values };
}

async function diff(olds: PropertyValues, news: PropertyValues): Promise<rpc.DiffResponse> {
  return call(client.diff.bind(client), new rpc.DiffRequest().setId("1").setUrn(URN).setType(PLUGIN_TRACKING_LINK_TYPE).setOlds(struct(olds)).setNews(struct(news)));
}

async function readImport(id: string): Promise<rpc.ReadResponse> {
  return call(client.read.bind(client), new rpc.ReadRequest().setId(id).setUrn(URN).setType(PLUGIN_TRACKING_LINK_TYPE));
}

const CHECKED = { label: "Twitter bio", description: "", accountId: ACCOUNT };
const COUNTERS = ["clicks", "claims", "follows", "subscriptions", "totalGross", "totalNet"];

async function invoke(tok: string, args: PropertyValues): Promise<rpc.InvokeResponse> {
  return call(client.invoke.bind(client), new rpc.InvokeRequest().setTok(tok).setArgs(struct(args)));
}

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT, OTHER_ACCOUNT] });
  implementation = new TrackingLinkImplementation(undefined, {});
  server = await startProviderServer({ implementation });
  client = new ResourceProviderClient(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  // The engine sends the key as a secret (acceptSecrets): the server must unwrap it, or every call fails with 401.
  // No listing reused between calls: each test sees the emulator as it set it (a command shares one per account).
  await configure({ apiKey: secretOf(KEY), baseUrl: emulator.url, accountId: ACCOUNT, maxRetries: 0, listingReuseMs: 0, version: "0.1.0" });
});

afterAll(async () => {
  client.close();
  await server.close();
  await implementation.close();
  await emulator.close();
});

beforeEach(() => {
  emulator.clearRequests();
});

describe("GetSchema, GetPluginInfo and the startup calls", () => {
  test("the schema names fansly:index:TrackingLink, its inputs, and the provider's apiKey as a secret, at the package's version", async () => {
    const schema = JSON.parse((await call(client.getSchema.bind(client), new rpc.GetSchemaRequest())).getSchema()) as {
      name: string;
      version: string;
      config: { variables: Record<string, { secret?: boolean }> };
      resources: Record<string, { inputProperties: Record<string, unknown>; requiredInputs: string[]; properties: Record<string, unknown> }>;
      functions: Record<string, { inputs: { properties: Record<string, unknown>; required: string[] }; outputs: { properties: Record<string, unknown> } }>;
    };
    expect(schema.name).toBe("fansly");
    expect(schema.version).toBe(packageVersion());
    expect(schema.config.variables.apiKey?.secret).toBe(true);
    expect(Object.keys(schema.resources[PLUGIN_TRACKING_LINK_TYPE]?.inputProperties ?? {})).toEqual(["label", "description", "accountId", "trackingLinkId"]);
    expect(schema.resources[PLUGIN_TRACKING_LINK_TYPE]?.requiredInputs).toEqual(["label"]);
    // The counters are the function's answer, not the resource's state.
    expect(Object.keys(schema.resources[PLUGIN_TRACKING_LINK_TYPE]?.properties ?? {}).filter((name) => COUNTERS.includes(name))).toEqual([]);
    const stats = schema.functions["fansly:index:getTrackingLinkStats"];
    expect({ inputs: Object.keys(stats?.inputs.properties ?? {}), required: stats?.inputs.required }).toEqual({ inputs: ["trackingLinkId", "accountId"], required: ["trackingLinkId"] });
    expect(Object.keys(stats?.outputs.properties ?? {})).toEqual(["trackingLinkId", "accountId", "label", ...COUNTERS]);
  });

  test("GetPluginInfo answers the package's version; Handshake accepts secrets; GetMappings is empty", async () => {
    expect((await call(client.getPluginInfo.bind(client), new Empty())).getVersion()).toBe(packageVersion());
    expect((await call(client.handshake.bind(client), new rpc.ProviderHandshakeRequest())).getAcceptSecrets()).toBe(true);
    expect((await call(client.getMappings.bind(client), new rpc.GetMappingsRequest().setKey("terraform"))).getProvidersList()).toEqual([]);
  });
});

describe("CheckConfig and DiffConfig", () => {
  test("CheckConfig returns the apiKey as a secret, so the engine stores it only as ciphertext", async () => {
    const response = await call(client.checkConfig.bind(client), new rpc.CheckRequest().setNews(struct({ apiKey: KEY, accountId: ACCOUNT })));
    const { values, secretKeys } = unwrapStruct(response.getInputs());
    expect(values).toEqual({ apiKey: KEY, accountId: ACCOUNT });
    expect([...secretKeys]).toEqual(["apiKey"]);
  });

  test("CheckConfig fails a bad setting against its property, before any request, with the fix for where it is set", async () => {
    const checkConfig = (urn: string, news: PropertyValues) =>
      call(client.checkConfig.bind(client), new rpc.CheckRequest().setUrn(urn).setNews(struct(news))).then((response) =>
        response.getFailuresList().map((failure) => `${failure.getProperty()}: ${failure.getReason()}`),
      );
    emulator.clearRequests();
    // A default provider's settings come from stack config; an explicit provider's from its own arguments.
    expect(await checkConfig("urn:pulumi:dev::test::pulumi:providers:fansly::default_0_1_0", { apiKey: secretOf(KEY), maxRetries: "four" })).toEqual([
      "maxRetries: must be a whole number: run `pulumi config set fansly:maxRetries 4`",
    ]);
    expect(await checkConfig("urn:pulumi:dev::test::pulumi:providers:fansly::agency", { accountId: "fansly agency" })).toEqual([
      "apiKey: is not set: set this provider's `apiKey`, or the FANSLY_API_KEY environment variable",
      "accountId: must be apifansly's account id (letters, digits, _ or -, like fansly_…; the apifansly dashboard lists yours): set this provider's `accountId`, or the FANSLY_ACCOUNT_ID environment variable",
    ]);
    // The credit budget too (README "The cost line"): 0 would refuse every update.
    expect(await checkConfig("urn:pulumi:dev::test::pulumi:providers:fansly::default_0_1_0", { apiKey: secretOf(KEY), maxCreditsPerUpdate: "0" })).toEqual([
      "maxCreditsPerUpdate: must be at least 1: run `pulumi config set fansly:maxCreditsPerUpdate 2000`",
    ]);
    expect(await checkConfig("urn:pulumi:dev::test::pulumi:providers:fansly::agency", { apiKey: secretOf(KEY), maxCreditsPerUpdate: 2.5 })).toEqual([
      "maxCreditsPerUpdate: must be a whole number: set this provider's `maxCreditsPerUpdate`",
    ]);
    // Not known until up (another resource's output): checked then, not refused now.
    expect(await checkConfig("urn:pulumi:dev::test::pulumi:providers:fansly::agency", { apiKey: UNKNOWN_VALUE, maxRetries: UNKNOWN_VALUE })).toEqual([]);
    expect(emulator.requests()).toEqual([]);
  });

  test("CheckConfig refuses an API key holding a line break, a carriage return or a NUL at preview, naming the setting, never the key", async () => {
    for (const key of [`${KEY}\nX-Injected: 1`, `ab\rcd${KEY}`, `${KEY}\u0000tail`]) {
      const response = await call(client.checkConfig.bind(client), new rpc.CheckRequest().setUrn("urn:pulumi:dev::test::pulumi:providers:fansly::default_0_1_0").setNews(struct({ apiKey: secretOf(key) })));
      const failures = response.getFailuresList().map((failure) => `${failure.getProperty()}: ${failure.getReason()}`);
      expect(failures).toEqual([expect.stringMatching(/^apiKey: holds a control character .*: run `pulumi config set --secret fansly:apiKey/)]);
      expect(failures.join("")).not.toContain(KEY);
    }
  });

  test("DiffConfig reports a changed key but never a replacement (a stack moving from the dynamic face keeps its links)", async () => {
    const response = await call(
      client.diffConfig.bind(client),
      new rpc.DiffRequest().setOldInputs(struct({ version: "3.248.0" })).setOlds(struct({})).setNews(struct({ apiKey: secretOf(KEY), accountId: ACCOUNT })),
    );
    expect(response.getChanges()).toBe(rpc.DiffResponse.DiffChanges.DIFF_SOME);
    expect(response.getReplacesList()).toEqual([]);
    expect(response.getDiffsList()).toEqual(["apiKey", "accountId"]);
  });
});

describe("Configure", () => {
  test.each([
    ["an explicit provider", "urn:pulumi:dev::test::pulumi:providers:fansly::agency", "set this provider's `apiKey`", "pulumi config set"],
    ["the default provider", "urn:pulumi:dev::test::pulumi:providers:fansly::default_0_1_0", "run `pulumi config set --secret fansly:apiKey", "this provider's"],
  ])("a rejected key (401) through %s says where that provider's apiKey is set", async (_which, providerUrn, says, saysNot) => {
    const fresh = new TrackingLinkImplementation(undefined, {});
    const other = await startProviderServer({ implementation: fresh });
    const otherClient = new ResourceProviderClient(`127.0.0.1:${other.port}`, grpc.credentials.createInsecure());
    try {
      const args = struct({ apiKey: secretOf("a-wrong-key-7c1d"), baseUrl: emulator.url, accountId: ACCOUNT, maxRetries: 0 });
      await call(otherClient.configure.bind(otherClient), new rpc.ConfigureRequest().setArgs(args).setUrn(providerUrn));
      const request = new rpc.CreateRequest().setUrn(URN).setType(PLUGIN_TRACKING_LINK_TYPE).setProperties(struct(CHECKED));
      const failed = await call(otherClient.create.bind(otherClient), request).then(() => undefined, (error: unknown) => error as grpc.ServiceError);
      expect(failed?.details).toMatch(/401 Unauthorized .*check the apiKey option/);
      expect(failed?.details).toContain(says);
      expect(failed?.details).not.toContain(saysNot);
      expect(failed?.details).not.toContain("a-wrong-key-7c1d");
    } finally {
      otherClient.close();
      await other.close();
      await fresh.close();
    }
  });

  test("an explicit provider with no key (an input known only at up): each Check fails naming its apiKey argument, not stack config", async () => {
    const fresh = new TrackingLinkImplementation(undefined, {});
    const other = await startProviderServer({ implementation: fresh });
    const otherClient = new ResourceProviderClient(`127.0.0.1:${other.port}`, grpc.credentials.createInsecure());
    try {
      const args = struct({ baseUrl: emulator.url, accountId: ACCOUNT });
      await call(otherClient.configure.bind(otherClient), new rpc.ConfigureRequest().setArgs(args).setUrn("urn:pulumi:dev::test::pulumi:providers:fansly::agency"));
      const request = new rpc.CheckRequest().setUrn(URN).setType(PLUGIN_TRACKING_LINK_TYPE).setNews(struct({ label: "Bio" })).setOlds(struct({}));
      const failures = (await call(otherClient.check.bind(otherClient), request)).getFailuresList().map((f) => [f.getProperty(), f.getReason()]);
      expect(failures).toEqual([["", "Fansly provider configuration: this provider's apiKey is not set: set this provider's `apiKey`, or the FANSLY_API_KEY environment variable"]]);
      expect(emulator.requests()).toEqual([]);
    } finally {
      otherClient.close();
      await other.close();
      await fresh.close();
    }
  });

  test("a secret-wrapped apiKey is unwrapped: calls authenticate with it (a wrapped or missing key would get 401)", async () => {
    const fresh = new TrackingLinkImplementation(undefined, {});
    const other = await startProviderServer({ implementation: fresh });
    const otherClient = new ResourceProviderClient(`127.0.0.1:${other.port}`, grpc.credentials.createInsecure());
    try {
      const args = struct({ apiKey: secretOf(KEY), baseUrl: emulator.url, accountId: ACCOUNT, maxRetries: 0 });
      await new Promise<void>((resolve, reject) => {
        otherClient.configure(new rpc.ConfigureRequest().setArgs(args), (error) => {
          if (error === null) resolve();
          else reject(error);
        });
      });
      const read = await new Promise<rpc.ReadResponse>((resolve, reject) => {
        otherClient.read(new rpc.ReadRequest().setId("111111111111111111").setUrn(URN).setType(PLUGIN_TRACKING_LINK_TYPE), (error, response) => {
          if (error === null) resolve(response);
          else reject(error);
        });
      });
      expect(read.getId()).toBe("");
      expect(emulator.requests().map((r) => r.apiKey)).toEqual(["accepted"]);
    } finally {
      otherClient.close();
      await other.close();
      await fresh.close();
    }
  });
});

describe("Check", () => {
  test("bad inputs fail with the dynamic face's messages, before any request", async () => {
    const bad = { label: "x".repeat(101), lable: "typo" };
    const response = await check(bad);
    const dynamic = await implementation.check({}, bad);
    const failures = response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
    expect(failures).toEqual(dynamic.failures);
    expect(failures.map((f) => f.property).sort()).toEqual(["label", "lable"]);
    expect(failures.find((f) => f.property === "lable")?.reason).toContain("did you mean label?");
    expect(emulator.requests()).toEqual([]);
  });

  test("the default account and description are filled in; a secret label stays secret", async () => {
    const response = await check({ label: secretOf("Twitter bio") });
    const { values, secretKeys } = unwrapStruct(response.getInputs());
    expect(values).toEqual(CHECKED);
    expect([...secretKeys]).toEqual(["label"]);
  });

});

describe("Diff", () => {
  const STORED: Record<string, PlainValue> = { ...CHECKED, trackingLinkId: "845759434926862336", adopted: false, clicks: 0 };

  test("a new label is an update in place, with a detailed diff", async () => {
    const response = await diff(STORED, { ...CHECKED, label: "Twitter bio (pinned)" });
    expect(response.getChanges()).toBe(rpc.DiffResponse.DiffChanges.DIFF_SOME);
    expect(response.getReplacesList()).toEqual([]);
    expect(response.getHasdetaileddiff()).toBe(true);
    expect(response.toObject().detaileddiffMap).toEqual([["label", { kind: rpc.PropertyDiff.Kind.UPDATE, inputdiff: false }]]);
  });

  test("a new account replaces the link", async () => {
    const response = await diff(STORED, { ...CHECKED, accountId: OTHER_ACCOUNT });
    expect(response.getReplacesList()).toEqual(["accountId"]);
    expect(response.toObject().detaileddiffMap).toEqual([["accountId", { kind: rpc.PropertyDiff.Kind.UPDATE_REPLACE, inputdiff: false }]]);
  });

  test("state written by the dynamic face (with its __provider) shows no change against the same inputs", async () => {
    const response = await diff({ ...STORED, __provider: 'exports.handler = require("pulumi-fansly/dist/provider/shim.js")' }, CHECKED);
    expect(response.getChanges()).toBe(rpc.DiffResponse.DiffChanges.DIFF_NONE);
    expect(response.getDetaileddiffMap().getLength()).toBe(0);
  });
});

describe("Create, Update and Delete", () => {
  test("a preview of a create makes no request and leaves the id unknown", async () => {
    const planned = await create(CHECKED, true);
    expect(emulator.requests()).toEqual([]);
    expect(planned.outputs).toMatchObject({ ...CHECKED, trackingLinkId: UNKNOWN_VALUE, adopted: false });
  });

  test("create POSTs once; a previewed update makes no request; update PUTs; delete DELETEs", async () => {
    const created = await create(CHECKED);
    expect(emulator.requests().map((r) => r.method)).toEqual(["POST"]);
    expect(created.outputs).toMatchObject({ ...CHECKED, trackingLinkId: created.id, adopted: false, type: 1000 });
    // The state kept is the link's identity and settings; its traffic counters are read live (getTrackingLinkStats).
    expect(Object.keys(created.outputs).filter((name) => COUNTERS.includes(name))).toEqual([]);

    emulator.clearRequests();
    const news = { ...CHECKED, label: "Twitter bio (pinned)" };
    const olds = struct(created.outputs);
    const previewed = await call(client.update.bind(client), new rpc.UpdateRequest().setId(created.id).setUrn(URN).setType(PLUGIN_TRACKING_LINK_TYPE).setOlds(olds).setNews(struct(news)).setPreview(true));
    expect(emulator.requests()).toEqual([]);
    expect(unwrapStruct(previewed.getProperties()).values).toMatchObject({ label: "Twitter bio (pinned)", trackingLinkId: created.id });

    const updated = await call(client.update.bind(client), new rpc.UpdateRequest().setId(created.id).setUrn(URN).setType(PLUGIN_TRACKING_LINK_TYPE).setOlds(olds).setNews(struct(news)));
    expect(emulator.requests().map((r) => r.method)).toContain("PUT");
    expect(unwrapStruct(updated.getProperties()).values).toMatchObject({ label: "Twitter bio (pinned)" });
    expect(emulator.store.customLinks(ACCOUNT).find((l) => l.id === created.id)?.label).toBe("Twitter bio (pinned)");

    emulator.clearRequests();
    await call(client.delete.bind(client), new rpc.DeleteRequest().setId(created.id).setUrn(URN).setType(PLUGIN_TRACKING_LINK_TYPE).setProperties(updated.getProperties()));
    expect(emulator.requests().map((r) => r.method)).toContain("DELETE");
    expect(emulator.store.customLinks(ACCOUNT).some((l) => l.id === created.id)).toBe(false);
  });
});

describe("one link, one owner: two resources of the stack holding one link", () => {
  /** Each test's resources have their own names, so claims made by other tests (one server serves them all) never meet. */
  const urnOf = (name: string): string => `urn:pulumi:dev::test::${PLUGIN_TRACKING_LINK_TYPE}::${name}`;

  async function checkAs(name: string, news: PropertyValues): Promise<rpc.CheckResponse> {
    return call(client.check.bind(client), new rpc.CheckRequest().setUrn(urnOf(name)).setType(PLUGIN_TRACKING_LINK_TYPE).setNews(struct(news)).setOlds(struct({})));
  }

  type Stored = ReturnType<typeof imported>;

  async function diffAs(name: string, olds: Stored, news: PropertyValues): Promise<rpc.DiffResponse> {
    return call(client.diff.bind(client), new rpc.DiffRequest().setId(olds.trackingLinkId).setUrn(urnOf(name)).setType(PLUGIN_TRACKING_LINK_TYPE).setOlds(struct(olds)).setNews(struct(news)));
  }

  async function deleteAs(name: string, olds: Stored): Promise<void> {
    await call(client.delete.bind(client), new rpc.DeleteRequest().setId(olds.trackingLinkId).setUrn(urnOf(name)).setType(PLUGIN_TRACKING_LINK_TYPE).setProperties(struct(olds)));
  }

  /** A link as `pulumi import` leaves it in state: adopted, with no owner token. */
  function imported(label: string): { trackingLinkId: string; accountId: string; label: string; description: string; adopted: boolean } {
    const link = emulator.store.createLink(ACCOUNT, { label, description: "" });
    return { trackingLinkId: link.id, accountId: ACCOUNT, label, description: "", adopted: true };
  }

  test("a second resource adopting the same trackingLinkId fails Check naming both URNs and the id, before any write", async () => {
    const link = imported("Reddit");
    emulator.clearRequests();
    const first = await checkAs("reddit", { label: "Reddit", trackingLinkId: link.trackingLinkId });
    const second = await checkAs("reddit-copy", { label: "Reddit copy", trackingLinkId: link.trackingLinkId });
    expect(first.getFailuresList()).toEqual([]);
    const failures = second.getFailuresList().map((f) => [f.getProperty(), f.getReason()]);
    expect(failures).toEqual([["trackingLinkId", expect.stringContaining(`trackingLinkId ${link.trackingLinkId} is declared by both ${urnOf("reddit")} and ${urnOf("reddit-copy")}`)]]);
    // The first Check looked its link up (one listing); the refused second one sent nothing.
    expect(emulator.requests().map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/fansly/${ACCOUNT}/tracking-links`]);
  });

  test("a resource adopting a link another holds in state (seen by Diff) is refused; a link given up by a replace is not held", async () => {
    const held = imported("Held");
    const replaced = imported("Replaced away");
    await diffAs("holder", held, { label: "Held", description: "", accountId: ACCOUNT, trackingLinkId: held.trackingLinkId });
    // A new trackingLinkId replaces this resource: it lets its old link go, so another may adopt it in this run.
    await diffAs("mover", replaced, { label: "Replaced away", description: "", accountId: ACCOUNT, trackingLinkId: imported("Elsewhere").trackingLinkId });
    const refused = await checkAs("adopter", { label: "Held", trackingLinkId: held.trackingLinkId });
    expect(refused.getFailuresList().map((f) => f.getReason())).toEqual([expect.stringContaining(`is declared by both ${urnOf("holder")} and ${urnOf("adopter")}`)]);
    expect((await checkAs("taker", { label: "Replaced away", trackingLinkId: replaced.trackingLinkId })).getFailuresList()).toEqual([]);
  });

  test("two resources holding one link in state (two `pulumi import`s): the second Diff fails naming both URNs and the id", async () => {
    const link = imported("Imported twice");
    const news = { label: "Imported twice", description: "", accountId: ACCOUNT, trackingLinkId: link.trackingLinkId };
    await diffAs("import-one", link, news);
    const refused = await diffAs("import-two", link, news).catch((error: unknown) => error as grpc.ServiceError);
    expect((refused as grpc.ServiceError).details).toContain(`trackingLinkId ${link.trackingLinkId} is declared by both ${urnOf("import-one")} and ${urnOf("import-two")}`);
  });

  test("a delete is skipped while another resource holds the link (a removed copy; the old instance of a replacement that adopted it); alone, it deletes", async () => {
    const shared = imported("Shared");
    const own = imported("Own");
    await diffAs("keeper", shared, { label: "Shared", description: "", accountId: ACCOUNT, trackingLinkId: shared.trackingLinkId });
    emulator.clearRequests();
    await deleteAs("removed-copy", shared);
    expect(emulator.requests()).toEqual([]);
    expect(emulator.store.customLinks(ACCOUNT).some((l) => l.id === shared.trackingLinkId)).toBe(true);

    // `pulumi up --replace` of a resource adopting its link: the new instance adopts it, then the old one is deleted.
    const replaced = imported("Replaced");
    const news = { label: "Replaced", description: "", accountId: ACCOUNT, trackingLinkId: replaced.trackingLinkId };
    await checkAs("forced", { label: "Replaced", trackingLinkId: replaced.trackingLinkId });
    await diffAs("forced", replaced, news);
    await call(client.create.bind(client), new rpc.CreateRequest().setUrn(urnOf("forced")).setType(PLUGIN_TRACKING_LINK_TYPE).setProperties(struct(news)));
    emulator.clearRequests();
    await deleteAs("forced", replaced);
    expect(emulator.requests()).toEqual([]);
    expect(emulator.store.customLinks(ACCOUNT).some((l) => l.id === replaced.trackingLinkId)).toBe(true);

    await deleteAs("own", own);
    expect(emulator.requests().map((r) => r.method)).toContain("DELETE");
    expect(emulator.store.customLinks(ACCOUNT).some((l) => l.id === own.trackingLinkId)).toBe(false);
  });
});

describe("Read as `pulumi import` sends it (an id, no properties)", () => {
  test("a bare link id is found in the default account; the inputs returned are the link's, so the next preview shows no change", async () => {
    const { id } = await create({ label: "Reddit", description: "post #3", accountId: ACCOUNT });
    const response = await readImport(id);
    expect(response.getId()).toBe(id);
    expect(unwrapStruct(response.getInputs()).values).toEqual({ label: "Reddit", description: "post #3", accountId: ACCOUNT });
    expect(unwrapStruct(response.getProperties()).values).toMatchObject({ trackingLinkId: id, accountId: ACCOUNT, adopted: false });
  });

  test("`accountId/linkId` reads the link in that account", async () => {
    const { id } = await create({ label: "Elsewhere", description: "", accountId: OTHER_ACCOUNT });
    const response = await readImport(`${OTHER_ACCOUNT}/${id}`);
    expect(response.getId()).toBe(id);
    expect(unwrapStruct(response.getInputs()).values).toEqual({ label: "Elsewhere", description: "", accountId: OTHER_ACCOUNT });
  });

  test("an id that no link has answers with no id (the CLI reports it not found)", async () => {
    expect((await readImport("111111111111111111")).getId()).toBe("");
  });

  test("an id that is not a link id fails naming both accepted forms, before any request", async () => {
    await expect(readImport("twitter-bio")).rejects.toThrow(/link id must be the id of an existing link.*use `<linkId>`.*or `<accountId>\/<linkId>`/);
    expect(emulator.requests()).toEqual([]);
  });
});

describe("Read as a refresh sends it (the stored properties)", () => {
  test("a link moved from the dynamic face (its __provider and counters in state) reads back as the plugin face keeps it", async () => {
    const { id } = await create({ label: "Moved", description: "", accountId: ACCOUNT });
    const moved = { ...CHECKED, label: "Moved", trackingLinkId: id, adopted: false, clicks: 3, totalNet: 40, __provider: "exports.handler = …" };
    emulator.clearRequests();
    const response = await call(client.read.bind(client), new rpc.ReadRequest().setId(id).setUrn(URN).setType(PLUGIN_TRACKING_LINK_TYPE).setProperties(struct(moved)).setInputs(struct(CHECKED)));
    expect(emulator.requests().map((r) => r.method)).toEqual(["GET"]);
    const kept = unwrapStruct(response.getProperties()).values;
    expect(kept).toMatchObject({ trackingLinkId: id, label: "Moved", accountId: ACCOUNT });
    expect(Object.keys(kept).filter((name) => name === "__provider" || COUNTERS.includes(name))).toEqual([]);
  });
});

describe("Invoke getTrackingLinkStats", () => {
  const STATS = "fansly:index:getTrackingLinkStats";

  test("answers the link's counters as the API reports them now, from one listing of the default account", async () => {
    const { id } = await create({ label: "Counted", description: "", accountId: ACCOUNT });
    emulator.store.setCounters([{ accountId: ACCOUNT, linkId: id, counters: { clicks: 120, claims: 30, subscriptions: 4, totalGross: 39960, totalNet: 31968 } }]);
    emulator.clearRequests();
    const response = await invoke(STATS, { trackingLinkId: id });
    expect(response.getFailuresList()).toEqual([]);
    expect(unwrapStruct(response.getReturn()).values).toEqual({
      trackingLinkId: id, accountId: ACCOUNT, label: "Counted", clicks: 120, claims: 30, follows: 0, subscriptions: 4, totalGross: 39960, totalNet: 31968,
    });
    expect(emulator.requests().map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/fansly/${ACCOUNT}/tracking-links`]);
  });

  test("reads a link of another account when accountId names it", async () => {
    const { id } = await create({ label: "There", description: "", accountId: OTHER_ACCOUNT });
    const response = await invoke(STATS, { trackingLinkId: id, accountId: OTHER_ACCOUNT });
    expect(unwrapStruct(response.getReturn()).values).toMatchObject({ trackingLinkId: id, accountId: OTHER_ACCOUNT, label: "There", clicks: 0 });
  });

  test("bad arguments come back as failures naming each argument and its fix, before any request", async () => {
    emulator.clearRequests();
    const response = await invoke(STATS, { trackingLinkId: 845759434926862336, acountId: ACCOUNT });
    const failures = response.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`);
    expect(failures).toEqual([
      expect.stringMatching(/^trackingLinkId: must be a string of digits.*quote it/),
      expect.stringMatching(/^acountId: is not an argument of getTrackingLinkStats \(known: trackingLinkId, accountId\); did you mean accountId\?$/),
    ]);
    expect(response.getReturn()).toBeUndefined();
    expect(emulator.requests()).toEqual([]);
  });

  test("a link the account does not have fails with a message that names the id, the account and how to list its links", async () => {
    await expect(invoke(STATS, { trackingLinkId: "111111111111111111" })).rejects.toThrow(
      new RegExp(`trackingLinkId 111111111111111111 does not exist in account ${ACCOUNT}.*npx pulumi-fansly import --account ${ACCOUNT}`),
    );
  });

  test("another function name fails, naming the one there is", async () => {
    await expect(invoke("fansly:index:getLinks", {})).rejects.toThrow(/no function fansly:index:getLinks: the only one is fansly:index:getTrackingLinkStats/);
  });
});
