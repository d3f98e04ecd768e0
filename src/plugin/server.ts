/**
 * The plugin face: Pulumi's resource provider gRPC protocol, translated onto the one TrackingLinkImplementation
 * (src/provider/implementation.ts) that the dynamic face uses too. Every lifecycle rule is decided there; this file
 * only converts wire values (secrets, unknowns, Structs) and maps results onto protocol messages.
 *
 * Served here rather than through the SDK's `provider.main()`, which (measured with @pulumi/pulumi 3.248) drops
 * Configure's variables, fails on an import's Read (it carries no properties) and answers no CheckConfig/DiffConfig.
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import * as rpc from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderService, type IResourceProviderServer } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { CONFIG_KEYS, fixOf } from "../provider/config";
import { TrackingLinkImplementation } from "../provider/implementation";
import { CheckedInputsSchema, type TrackingLinkOutputs } from "../provider/schemas";
import { configSourceOf, settingsSourceOf, settingText } from "./providerSettings";
import { packageVersion } from "../packageVersion";
import { packageSchema } from "./schema";
import { pluginStoredOutputs, withoutCounters } from "./state";
import { PACKAGE_NAME, PLUGIN_TRACKING_LINK_TYPE, STATS_FUNCTION } from "./tokens";
import { containsUnknown, toStruct, unwrapStruct, type PropertyValues } from "./wire";
import { messageOf } from "../thrown";

type Handler<Request, Response> = grpc.handleUnaryCall<Request, Response>;

/**
 * Answers one unary call with `work`'s result; a failure becomes a gRPC error whose message the CLI prints as is
 * (`explain`: the implementation's, which says where this provider sets each client option the message names).
 */
function unary<Request, Response>(work: (request: Request) => Promise<Response> | Response, explain: (error: unknown) => string = messageOf): Handler<Request, Response> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => work(call.request))
      .then(
        (response) => { callback(null, response); },
        (error: unknown) => { callback({ code: grpc.status.UNKNOWN, details: explain(error) }); },
      );
  };
}

function unimplemented(method: string): Handler<unknown, never> {
  return (_call, callback) => { callback({ code: grpc.status.UNIMPLEMENTED, details: `the fansly provider does not implement ${method}` }); };
}

function requireTrackingLink(type: string): void {
  if (type !== "" && type !== PLUGIN_TRACKING_LINK_TYPE) {
    throw new Error(`the fansly provider has no resource type ${type}: the only one is ${PLUGIN_TRACKING_LINK_TYPE}`);
  }
}

/** The engine may send a type only within the URN (older engines); its last-but-one `::` part is the type. */
function typeOf(request: { getType(): string; getUrn(): string }): string {
  return request.getType() || (request.getUrn().split("::").at(-2) ?? "");
}

/** The config keys of the provider (`apiKey`, …) that differ between two sets of provider inputs. */
function changedSettings(olds: PropertyValues, news: PropertyValues): string[] {
  return Object.keys(CONFIG_KEYS).filter((name) => settingText(olds[name]) !== settingText(news[name]));
}

/**
 * What the plugin face keeps in state of what the implementation returned (src/plugin/state.ts: no traffic
 * counters), secret where the inputs they came from were secret.
 */
function stateStruct(outputs: unknown, secretKeys: ReadonlySet<string>): ReturnType<typeof toStruct> {
  return toStruct(pluginStoredOutputs(outputs), secretKeys);
}

/** Failures of `check` or of a function's arguments, as the engine prints them: the property, then the reason. */
function checkFailures(failures: readonly { property: string; reason: string }[]): rpc.CheckFailure[] {
  return failures.map((failure) => new rpc.CheckFailure().setProperty(failure.property).setReason(failure.reason));
}

export interface ProviderServiceOptions {
  /** The implementation to serve (tests inject one with a client on a MockAgent). */
  implementation?: TrackingLinkImplementation;
}

/** The protocol's handlers, each a translation onto `implementation`. */
function providerService(options: ProviderServiceOptions = {}): IResourceProviderServer {
  const implementation = options.implementation ?? new TrackingLinkImplementation();
  const served = <Request, Response>(work: (request: Request) => Promise<Response> | Response): Handler<Request, Response> =>
    unary(work, (error) => implementation.explain(error));

  return {
    handshake: unary(() =>
      new rpc.ProviderHandshakeResponse().setAcceptSecrets(true).setAcceptResources(false).setAcceptOutputs(false),
    ),
    parameterize: unimplemented("Parameterize"),
    getSchema: unary(() => new rpc.GetSchemaResponse().setSchema(packageSchema())),
    getPluginInfo: unary(() => new PluginInfo().setVersion(packageVersion())),
    attach: unary(() => new Empty()),
    cancel: unary(() => new Empty()),
    getMapping: unary(() => new rpc.GetMappingResponse().setProvider("").setData("")),
    getMappings: unary(() => new rpc.GetMappingsResponse().setProvidersList([])),

    checkConfig: unary((request: rpc.CheckRequest) => {
      // The key is stored with the provider's inputs: returned as a secret, it is kept only as ciphertext.
      const { values, secretKeys } = unwrapStruct(request.getNews());
      for (const [name, { secret }] of Object.entries(CONFIG_KEYS)) if (secret && name in values) secretKeys.add(name);
      // Bad settings fail here, against the provider and at `preview`, not at the first link that needs them. A
      // setting not known until `up` (another resource's output) is checked then.
      const unknown = new Set(Object.keys(values).filter((name) => containsUnknown(values[name] ?? null)));
      const source = settingsSourceOf(request.getUrn());
      const failures = implementation
        .settingProblems(configSourceOf(values))
        .filter((problem) => !unknown.has(problem.name))
        .map((problem) => ({ property: problem.name, reason: `${problem.reason}: ${fixOf(problem, source)}` }));
      return new rpc.CheckResponse().setInputs(toStruct(values, secretKeys)).setFailuresList(checkFailures(failures));
    }),

    diffConfig: unary((request: rpc.DiffRequest) => {
      // No setting forces a replacement of the links: a new key, URL or default account applies from the next call.
      const olds = unwrapStruct(request.getOldInputs() ?? request.getOlds()).values;
      const changed = changedSettings(olds, unwrapStruct(request.getNews()).values);
      return new rpc.DiffResponse()
        .setChanges(changed.length > 0 ? rpc.DiffResponse.DiffChanges.DIFF_SOME : rpc.DiffResponse.DiffChanges.DIFF_NONE)
        .setDiffsList(changed);
    }),

    configure: served(async (request: rpc.ConfigureRequest) => {
      const source = settingsSourceOf(request.getUrn() ?? "");
      const variables = request.getVariablesMap();
      const config = configSourceOf(unwrapStruct(request.getArgs()).values, (name, key) => variables.get(`${PACKAGE_NAME}:config:${name}`) ?? variables.get(key));
      await implementation.configure({ config, providerUrn: request.getUrn() ?? "", source });
      return new rpc.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true).setAcceptresources(false).setAcceptoutputs(false);
    }),

    check: served(async (request: rpc.CheckRequest) => {
      requireTrackingLink(typeOf(request));
      const { values, secretKeys } = unwrapStruct(request.getNews());
      // The previous inputs: a link staying in its account is not looked up again (accountCheck.ts). The URN names
      // the resource in a refusal of a second holder of one link (src/claims.ts).
      const olds = unwrapStruct(request.getOlds()).values;
      const { inputs, failures } = await implementation.check(olds, values, request.getUrn());
      const response = new rpc.CheckResponse().setInputs(toStruct(inputs ?? {}, secretKeys));
      return response.setFailuresList(checkFailures(failures ?? []));
    }),

    diff: served(async (request: rpc.DiffRequest) => {
      requireTrackingLink(typeOf(request));
      const olds = unwrapStruct(request.getOlds()).values;
      const news = CheckedInputsSchema.parse(unwrapStruct(request.getNews()).values);
      const result = await implementation.diff(request.getId(), olds as TrackingLinkOutputs, news, request.getUrn());
      const response = new rpc.DiffResponse()
        .setChanges(result.changes === true ? rpc.DiffResponse.DiffChanges.DIFF_SOME : rpc.DiffResponse.DiffChanges.DIFF_NONE)
        .setReplacesList(result.replaces ?? [])
        .setStablesList(result.stables ?? [])
        .setDiffsList(result.changed)
        .setHasdetaileddiff(true);
      const detailed = response.getDetaileddiffMap();
      for (const property of result.changed) {
        const replaces = result.replaces?.includes(property) === true;
        const kind = property in olds ? rpc.PropertyDiff.Kind.UPDATE : rpc.PropertyDiff.Kind.ADD;
        const replacing = kind === rpc.PropertyDiff.Kind.ADD ? rpc.PropertyDiff.Kind.ADD_REPLACE : rpc.PropertyDiff.Kind.UPDATE_REPLACE;
        // Compared against the link as stored (its outputs), not the previous inputs.
        detailed.set(property, new rpc.PropertyDiff().setKind(replaces ? replacing : kind).setInputdiff(false));
      }
      return response;
    }),

    create: served(async (request: rpc.CreateRequest) => {
      requireTrackingLink(typeOf(request));
      const { values, secretKeys } = unwrapStruct(request.getProperties());
      if (request.getPreview()) return new rpc.CreateResponse().setId("").setProperties(toStruct(implementation.plannedCreate(values), secretKeys));
      const { id, outs } = await implementation.create(CheckedInputsSchema.parse(values), request.getUrn());
      return new rpc.CreateResponse().setId(id).setProperties(stateStruct(outs, secretKeys));
    }),

    read: served(async (request: rpc.ReadRequest) => {
      requireTrackingLink(typeOf(request));
      const stored = unwrapStruct(request.getProperties());
      const inputs = unwrapStruct(request.getInputs());
      const secretKeys = new Set([...stored.secretKeys, ...inputs.secretKeys]);
      const result = await implementation.read(request.getId(), stored.values as TrackingLinkOutputs);
      // No id: the link is gone (a refresh drops it; an import reports it not found).
      if (result.id === undefined || result.props === undefined) return new rpc.ReadResponse().setId("");
      return new rpc.ReadResponse()
        .setId(result.id)
        .setProperties(stateStruct(result.props, secretKeys))
        .setInputs(toStruct(result.inputs ?? {}, secretKeys));
    }),

    update: served(async (request: rpc.UpdateRequest) => {
      requireTrackingLink(typeOf(request));
      const olds = unwrapStruct(request.getOlds());
      const news = unwrapStruct(request.getNews());
      const secretKeys = new Set([...olds.secretKeys, ...news.secretKeys]);
      const checked = CheckedInputsSchema.parse(news.values);
      if (request.getPreview()) return new rpc.UpdateResponse().setProperties(toStruct(withoutCounters(implementation.plannedUpdate(olds.values, checked)), secretKeys));
      const { outs } = await implementation.update(request.getId(), olds.values as TrackingLinkOutputs, checked);
      return new rpc.UpdateResponse().setProperties(stateStruct(outs, secretKeys));
    }),

    delete: served(async (request: rpc.DeleteRequest) => {
      requireTrackingLink(typeOf(request));
      await implementation.delete(request.getId(), unwrapStruct(request.getProperties()).values as TrackingLinkOutputs, request.getUrn());
      return new Empty();
    }),

    invoke: served(async (request: rpc.InvokeRequest) => {
      if (request.getTok() !== STATS_FUNCTION) {
        throw new Error(`the fansly provider has no function ${request.getTok()}: the only one is ${STATS_FUNCTION}`);
      }
      const { stats, failures } = await implementation.stats(unwrapStruct(request.getArgs()).values);
      const response = new rpc.InvokeResponse().setFailuresList(checkFailures(failures));
      return stats === undefined ? response : response.setReturn(toStruct(stats, new Set()));
    }),
    call: unimplemented("Call (it has no methods)"),
    construct: unimplemented("Construct (TrackingLinkSet is a component of the TypeScript face only)"),
    list: (call) => {
      call.destroy({ name: "Error", message: "the fansly provider does not implement List", code: grpc.status.UNIMPLEMENTED } as grpc.ServiceError);
    },
  };
}

export interface RunningProviderServer {
  /** The port on 127.0.0.1 the engine dials. */
  port: number;
  close(): Promise<void>;
}

/** Serves the protocol on 127.0.0.1 (a free port): the engine runs the plugin on the same machine. */
export async function startProviderServer(options: ProviderServiceOptions = {}): Promise<RunningProviderServer> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": MAX_MESSAGE_BYTES, "grpc.max_send_message_length": MAX_MESSAGE_BYTES });
  server.addService(ResourceProviderService, providerService(options));
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => {
      if (error === null) resolve(bound);
      else reject(error);
    });
  });
  return {
    port,
    close: () => new Promise<void>((resolve) => { server.tryShutdown(() => { resolve(); }); }),
  };
}

/** The engine's own limit for provider messages (a schema or a state can outgrow gRPC's 4 MB default). */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;
