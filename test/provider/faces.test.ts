/**
 * One behaviour suite for both faces: each case is written once and run against the dynamic face (the methods the
 * serialized shim gets, `attachTrackingLinkMethods`) and the plugin face (its gRPC server, called as the engine calls it), each
 * on its own TrackingLinkImplementation, against one emulator over real HTTP. Per-face tests keep only what one
 * face alone has (the plugin's wire: secrets, detailed diffs, preview calls, import; the dynamic face's shim).
 */
import * as grpc from "@grpc/grpc-js";
import type * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as rpc from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { TrackingLinkImplementation, type CheckedInputs, type TrackingLinkOutputs } from "../../src/provider";
import { attachTrackingLinkMethods } from "../../src/provider/processProvider";
import { UNKNOWN_VALUE } from "../../src/provider/schemas";
import { startProviderServer } from "../../src/plugin/server";
import { PLUGIN_TRACKING_LINK_TYPE } from "../../src/plugin/tokens";
import { unwrapStruct, type PlainValue } from "../../src/plugin/wire";
import { call } from "../plugin/unaryCall";

const KEY = "faces-test-key-8d14b7";
const ACCOUNT = "fansly_demo";
const OTHER_ACCOUNT = "fansly_other";
const SET_KEY = "run `pulumi config set --secret fansly:apiKey <your apifansly key>`, or set the FANSLY_API_KEY environment variable";

type Values = Record<string, unknown>;
interface Failure {
  property: string;
  reason: string;
}

/** A face as the engine drives it, in plain values; a failed call rejects with the message the engine would show. */
interface Face {
  check(news: Values, olds?: Values): Promise<{ inputs: Values; failures: Failure[] }>;
  diff(olds: Values, news: Values): Promise<{ changes: boolean; replaces: string[] }>;
  create(inputs: Values): Promise<{ id: string; outs: Values }>;
  read(id: string, props: Values): Promise<{ id?: string; props?: Values }>;
  update(id: string, olds: Values, news: Values): Promise<Values>;
  delete(id: string, props: Values): Promise<void>;
  close(): Promise<void>;
}

/** Stack config as both faces' default provider reads it (the dynamic face by key, the plugin's Configure by name). */
type Settings = Partial<Record<"apiKey" | "baseUrl" | "accountId" | "listingReuseMs", string>>;

/** What the serialized shim hands the dynamic-provider host, on a fresh implementation. */
async function dynamicFace(settings: Settings): Promise<Face> {
  const implementation = new TrackingLinkImplementation(undefined, {});
  const methods = {} as Required<pulumi.dynamic.ResourceProvider<CheckedInputs, TrackingLinkOutputs>>;
  await attachTrackingLinkMethods(methods, { config: { get: (key) => settings[key.replace(/^fansly:/, "") as keyof Settings] } }, implementation);
  return {
    check: async (news, olds = {}) => {
      const { inputs, failures } = await methods.check(olds as CheckedInputs, news as CheckedInputs);
      return { inputs: inputs as Values, failures: failures ?? [] };
    },
    diff: async (olds, news) => {
      const result = await methods.diff("id", olds as TrackingLinkOutputs, news as CheckedInputs);
      return { changes: result.changes === true, replaces: result.replaces ?? [] };
    },
    create: async (inputs) => {
      const { id, outs } = await methods.create(inputs as CheckedInputs);
      return { id, outs: outs as Values };
    },
    read: async (id, props) => {
      const result = await methods.read(id, props as TrackingLinkOutputs);
      return { ...(result.id === undefined ? {} : { id: result.id }), ...(result.props === undefined ? {} : { props: result.props }) };
    },
    update: async (id, olds, news) => (await methods.update(id, olds as TrackingLinkOutputs, news as CheckedInputs)).outs as Values,
    delete: (id, props) => methods.delete(id, props as TrackingLinkOutputs),
    close: () => implementation.close(),
  };
}

async function pluginFace(settings: Settings): Promise<Face> {
  const implementation = new TrackingLinkImplementation(undefined, {});
  const server = await startProviderServer({ implementation });
  const client = new ResourceProviderClient(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  const struct = (values: Values): Struct => Struct.fromJavaScript(values as Record<string, PlainValue>);
  const values = (from: Struct | undefined): Values => unwrapStruct(from).values;
  // As the engine calls it: the engine's message, not the gRPC status around it.
  const engine = async <T>(work: Promise<T>): Promise<T> =>
    work.catch((error: unknown) => {
      throw new Error((error as grpc.ServiceError).details);
    });
  const urn = `urn:pulumi:dev::faces::${PLUGIN_TRACKING_LINK_TYPE}::link`;
  let resources = 0;
  await call(client.configure.bind(client), new rpc.ConfigureRequest().setArgs(struct(settings)).setAcceptsecrets(true));
  return {
    check: async (news, olds = {}) => {
      // Each check names its own resource: claims (one link, one owner) never meet across cases.
      const request = new rpc.CheckRequest().setUrn(`${urn}-${String(resources++)}`).setType(PLUGIN_TRACKING_LINK_TYPE).setNews(struct(news)).setOlds(struct(olds));
      const response = await engine(call(client.check.bind(client), request));
      return { inputs: values(response.getInputs()), failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
    },
    diff: async (olds, news) => {
      const request = new rpc.DiffRequest().setId("id").setUrn(urn).setType(PLUGIN_TRACKING_LINK_TYPE).setOlds(struct(olds)).setNews(struct(news));
      const response = await engine(call(client.diff.bind(client), request));
      return { changes: response.getChanges() === rpc.DiffResponse.DiffChanges.DIFF_SOME, replaces: response.getReplacesList() };
    },
    create: async (inputs) => {
      const response = await engine(call(client.create.bind(client), new rpc.CreateRequest().setUrn(urn).setType(PLUGIN_TRACKING_LINK_TYPE).setProperties(struct(inputs))));
      return { id: response.getId(), outs: values(response.getProperties()) };
    },
    read: async (id, props) => {
      const response = await engine(call(client.read.bind(client), new rpc.ReadRequest().setId(id).setUrn(urn).setType(PLUGIN_TRACKING_LINK_TYPE).setProperties(struct(props))));
      return response.getId() === "" ? {} : { id: response.getId(), props: values(response.getProperties()) };
    },
    update: async (id, olds, news) => {
      const request = new rpc.UpdateRequest().setId(id).setUrn(urn).setType(PLUGIN_TRACKING_LINK_TYPE).setOlds(struct(olds)).setNews(struct(news));
      return values((await engine(call(client.update.bind(client), request))).getProperties());
    },
    delete: async (id, props) => {
      await engine(call(client.delete.bind(client), new rpc.DeleteRequest().setId(id).setUrn(urn).setType(PLUGIN_TRACKING_LINK_TYPE).setProperties(struct(props))));
    },
    close: async () => {
      client.close();
      await server.close();
      await implementation.close();
    },
  };
}

const FACES: [string, (settings: Settings) => Face | Promise<Face>][] = [
  ["dynamic", dynamicFace],
  ["plugin", pluginFace],
];

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT, OTHER_ACCOUNT] });
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  emulator.clearRequests();
});

/** Each request as "METHOD path", the accounts listing (a check of a link new to its account) left out. */
function linkCalls(): string[] {
  return emulator
    .requests()
    .filter((r) => r.path !== "/api/fansly/accounts")
    .map((r) => `${r.method} ${r.path}`);
}

const LINKS = `/api/fansly/${ACCOUNT}/tracking-links`;

describe.each(FACES)("the %s face", (_name, makeFace) => {
  let face: Face;
  const faces: Face[] = [];
  /** A face on these settings (the suite's own by default), closed after the suite. */
  async function faceWith(settings: Settings): Promise<Face> {
    const made = await makeFace(settings);
    faces.push(made);
    return made;
  }

  beforeAll(async () => {
    // No listing reused between calls: each case sees the emulator as it set it (a command shares one per account).
    face = await faceWith({ apiKey: KEY, baseUrl: emulator.url, accountId: ACCOUNT, listingReuseMs: "0" });
  });

  afterAll(async () => {
    for (const made of faces) await made.close();
  });

  describe("check", () => {
    test("bad inputs fail naming each property and its fix, a typo with the name it meant, before any request", async () => {
      const { failures } = await face.check({ label: "x".repeat(101), lable: "typo" });
      expect(failures).toEqual([
        { property: "label", reason: "must be at most 100 characters: shorten it" },
        { property: "lable", reason: expect.stringContaining("did you mean label?") as unknown },
      ]);
      expect(emulator.requests()).toEqual([]);
    });

    test("fills in the description and the default account", async () => {
      expect(await face.check({ label: "Bio" })).toEqual({ inputs: { label: "Bio", description: "", accountId: ACCOUNT }, failures: [] });
    });

    test("inputs not known until up (another resource's outputs) pass and stay unknown, and no link is looked up", async () => {
      const { inputs, failures } = await face.check({ label: UNKNOWN_VALUE, trackingLinkId: UNKNOWN_VALUE });
      expect({ inputs, failures }).toEqual({ inputs: { label: UNKNOWN_VALUE, description: "", accountId: ACCOUNT, trackingLinkId: UNKNOWN_VALUE }, failures: [] });
      expect(linkCalls()).toEqual([]);
    });

    test("a trackingLinkId the account does not have fails naming the id, the account and the fix", async () => {
      const { failures } = await face.check({ label: "Bio", trackingLinkId: "123456789" });
      expect(failures).toEqual([
        { property: "trackingLinkId", reason: expect.stringMatching(/^trackingLinkId 123456789 does not exist in account fansly_demo: check the id .*remove trackingLinkId to create a new link$/) as unknown },
      ]);
      expect(emulator.requests().filter((r) => r.method !== "GET")).toEqual([]);
    });

    test("no API key: one failure of the resource saying how to set it, before any request", async () => {
      const keyless = await faceWith({ baseUrl: emulator.url, accountId: ACCOUNT });
      expect((await keyless.check({ label: "Bio" })).failures).toEqual([{ property: "", reason: `Fansly provider configuration: fansly:apiKey is not set: ${SET_KEY}` }]);
      expect(emulator.requests()).toEqual([]);
    });

    test("a key the API refuses: the 401 as one failure of the resource saying how to set the key", async () => {
      const refused = await faceWith({ apiKey: "not-the-key-0000", baseUrl: emulator.url, accountId: ACCOUNT });
      const { failures } = await refused.check({ label: "Bio" });
      expect(failures).toEqual([{ property: "", reason: expect.stringContaining(`401 Unauthorized (GET /api/fansly/accounts)`) as unknown }]);
      expect(failures[0]?.reason).toContain(`check the apiKey option (apiKey: ${SET_KEY})`);
    });
  });

  describe("diff", () => {
    const STORED = { trackingLinkId: "845759434926862336", accountId: ACCOUNT, label: "A", description: "", adopted: false };

    test("the same inputs are no change; a label or description is an update in place", async () => {
      expect(await face.diff(STORED, { label: "A", description: "", accountId: ACCOUNT })).toEqual({ changes: false, replaces: [] });
      expect(await face.diff(STORED, { label: "B", description: "", accountId: ACCOUNT })).toEqual({ changes: true, replaces: [] });
      expect(await face.diff(STORED, { label: "A", description: "new", accountId: ACCOUNT })).toEqual({ changes: true, replaces: [] });
    });

    test("another account or another trackingLinkId replaces the link", async () => {
      expect((await face.diff(STORED, { label: "A", description: "", accountId: OTHER_ACCOUNT })).replaces).toEqual(["accountId"]);
      expect((await face.diff(STORED, { label: "A", description: "", accountId: ACCOUNT, trackingLinkId: "845759434926862337" })).replaces).toEqual(["trackingLinkId"]);
    });
  });

  describe("create, read, update, delete", () => {
    test("each makes exactly its request and leaves the API as declared", async () => {
      const { id, outs } = await face.create({ label: "Twitter bio", description: "", accountId: ACCOUNT });
      expect(outs).toMatchObject({ trackingLinkId: id, label: "Twitter bio", description: "", accountId: ACCOUNT, adopted: false, type: 1000 });
      expect(linkCalls()).toEqual([`POST ${LINKS}`]);

      emulator.clearRequests();
      emulator.store.updateLink(ACCOUNT, id, { label: "Edited by hand", description: "oops" });
      expect((await face.read(id, outs)).props).toMatchObject({ trackingLinkId: id, label: "Edited by hand", description: "oops" });
      expect(linkCalls()).toEqual([`GET ${LINKS}`]);

      emulator.clearRequests();
      const updated = await face.update(id, outs, { label: "Twitter bio v2", description: "d", accountId: ACCOUNT });
      expect(updated).toMatchObject({ trackingLinkId: id, label: "Twitter bio v2", description: "d" });
      expect(emulator.requests().map((r) => ({ method: r.method, body: r.body }))).toEqual([{ method: "PUT", body: { id, label: "Twitter bio v2", description: "d" } }]);

      emulator.clearRequests();
      await face.delete(id, updated);
      expect(emulator.requests().map((r) => ({ method: r.method, body: r.body }))).toEqual([{ method: "DELETE", body: { trackingLinkId: id } }]);
      expect(emulator.store.customLinks(ACCOUNT).some((link) => link.id === id)).toBe(false);
    });

    test("deleting a link already deleted succeeds; reading it answers no id, so a refresh drops it", async () => {
      const { id, outs } = await face.create({ label: "Gone soon", description: "", accountId: ACCOUNT });
      emulator.store.deleteLink(ACCOUNT, id);
      await expect(face.delete(id, outs)).resolves.toBeUndefined();
      expect(await face.read(id, outs)).toEqual({});
    });

    test("adopting an existing link makes no POST, and a PUT only for another label", async () => {
      const existing = emulator.store.createLink(ACCOUNT, { label: "Made by hand", description: "" });
      emulator.clearRequests();
      const { outs } = await face.create({ label: "Renamed", description: "", accountId: ACCOUNT, trackingLinkId: existing.id });
      expect(outs).toMatchObject({ trackingLinkId: existing.id, adopted: true, label: "Renamed" });
      expect(linkCalls()).toEqual([`GET ${LINKS}`, `PUT ${LINKS}`]);
      await face.delete(existing.id, outs);
    });

    test("a DELETE answered 404 while the link is still listed fails saying where baseUrl is set, and the link stays", async () => {
      const { id, outs } = await face.create({ label: "Still here", description: "", accountId: ACCOUNT });
      emulator.addFault({ method: "DELETE", status: 404 });
      await expect(face.delete(id, outs)).rejects.toThrow(
        /answered 404, yet account fansly_demo still lists the link: check the baseUrl option .*\(baseUrl: run `pulumi config set fansly:baseUrl https:\/\/v1\.apifansly\.com`, or set the FANSLY_API_BASE_URL/,
      );
      expect(emulator.store.customLinks(ACCOUNT).some((link) => link.id === id)).toBe(true);
      await face.delete(id, outs);
    });
  });
});
