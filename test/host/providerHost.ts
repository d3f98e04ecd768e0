/**
 * The real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) in a child process, driven over gRPC with
 * Pulumi's own stubs, the way the engine drives it. Plus `Engine`, which sequences those calls per resource as
 * `pulumi up` / `refresh` / `destroy` do, keeping the state the engine would keep.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { join } from "node:path";
import type { Readable } from "node:stream";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { serializeFunction } from "@pulumi/pulumi/runtime";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { trackingLinkProvider } from "../../src/provider/serializedForm";

export type Props = Record<string, unknown>;

export interface CheckReply {
  inputs: Props;
  failures: { property: string; reason: string }[];
}

export interface DiffReply {
  changes: "none" | "some" | "unknown";
  replaces: string[];
}

/** The serialized provider text, made as `pulumi.dynamic.Resource` makes it. */
export async function serializedProvider(): Promise<string> {
  const serialized = await serializeFunction(() => trackingLinkProvider, { allowSecrets: true });
  return serialized.text;
}

export function urnOf(name: string): string {
  return `urn:pulumi:test::pulumi-fansly::pulumi-nodejs:dynamic/fansly:TrackingLink::${name}`;
}

type StructValue = Parameters<typeof Struct.fromJavaScript>[0];

function struct(value: Props): Struct {
  // Props come from JSON-like test data; protobuf's own converter rejects anything else.
  return Struct.fromJavaScript(value as StructValue);
}

function plain(value: Struct | undefined): Props {
  return value?.toJavaScript() ?? {};
}

const DIFF_CHANGES: Record<number, DiffReply["changes"]> = {
  [proto.DiffResponse.DiffChanges.DIFF_NONE]: "none",
  [proto.DiffResponse.DiffChanges.DIFF_SOME]: "some",
  [proto.DiffResponse.DiffChanges.DIFF_UNKNOWN]: "unknown",
};

export class ProviderHost {
  readonly #child: ChildProcessByStdio<null, Readable, Readable>;
  readonly #client: ResourceProviderClient;
  #stdout = "";
  #stderr = "";

  private constructor(child: ChildProcessByStdio<null, Readable, Readable>, port: number, stdout: string) {
    this.#child = child;
    this.#stdout = stdout;
    child.stdout.on("data", (chunk: Buffer) => (this.#stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (this.#stderr += chunk.toString()));
    this.#client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  }

  /** Starts the host in `stackDir` (its cwd, as the engine starts it in the project folder) and waits for its port. */
  static async start(stackDir: string, env: NodeJS.ProcessEnv = {}): Promise<ProviderHost> {
    const script = join(stackDir, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js");
    // The engine address is required by the command line but unused by the host for a provider's work.
    const child = spawn(process.execPath, [script, "127.0.0.1:1"], {
      cwd: stackDir,
      env: { PATH: process.env.PATH, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const { port, stdout } = await new Promise<{ port: number; stdout: string }>((resolve, reject) => {
      let seen = "";
      let errors = "";
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`the host printed no port within 15 s; stderr: ${errors}`));
      }, 15_000);
      const onData = (chunk: Buffer): void => {
        seen += chunk.toString();
        const match = /^(\d+)\r?\n/.exec(seen);
        if (match?.[1] === undefined) return;
        clearTimeout(timer);
        child.stdout.off("data", onData);
        resolve({ port: Number(match[1]), stdout: seen });
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the host exited with ${String(code)} before printing a port; stderr: ${errors}`));
      });
    });
    return new ProviderHost(child, port, stdout);
  }

  /** The host's process id (the benchmark reads its peak memory from /proc). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Everything the host printed: the secret scans read it. */
  output(): string {
    return this.#stdout + this.#stderr;
  }

  /** One unary call; a gRPC error becomes an Error carrying the provider's message, as the CLI shows it. */
  #unary<Res>(send: (callback: (error: grpc.ServiceError | null, reply: Res) => void) => unknown): Promise<Res> {
    return new Promise((resolve, reject) => {
      send((error, reply) => {
        if (error) reject(new Error(error.details || error.message));
        else resolve(reply);
      });
    });
  }

  /** The engine sends the whole stack config ("fansly:apiKey", …) as the default provider's args. */
  async configure(config: Record<string, string>): Promise<void> {
    const request = new proto.ConfigureRequest();
    request.setArgs(struct(config));
    await this.#unary<proto.ConfigureResponse>((callback) => this.#client.configure(request, callback));
  }

  async check(urn: string, olds: Props, news: Props): Promise<CheckReply> {
    const request = new proto.CheckRequest();
    request.setUrn(urn);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const reply = await this.#unary<proto.CheckResponse>((callback) => this.#client.check(request, callback));
    return {
      inputs: plain(reply.getInputs()),
      failures: reply.getFailuresList().map((failure) => ({ property: failure.getProperty(), reason: failure.getReason() })),
    };
  }

  async diff(id: string, urn: string, olds: Props, news: Props): Promise<DiffReply> {
    const request = new proto.DiffRequest();
    request.setId(id);
    request.setUrn(urn);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const reply = await this.#unary<proto.DiffResponse>((callback) => this.#client.diff(request, callback));
    return { changes: DIFF_CHANGES[reply.getChanges()] ?? "unknown", replaces: reply.getReplacesList() };
  }

  async create(urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
    const request = new proto.CreateRequest();
    request.setUrn(urn);
    request.setProperties(struct(properties));
    const reply = await this.#unary<proto.CreateResponse>((callback) => this.#client.create(request, callback));
    return { id: reply.getId(), properties: plain(reply.getProperties()) };
  }

  async read(id: string, urn: string, properties: Props, inputs: Props): Promise<{ id: string; properties: Props; inputs: Props }> {
    const request = new proto.ReadRequest();
    request.setId(id);
    request.setUrn(urn);
    request.setProperties(struct(properties));
    request.setInputs(struct(inputs));
    const reply = await this.#unary<proto.ReadResponse>((callback) => this.#client.read(request, callback));
    return { id: reply.getId(), properties: plain(reply.getProperties()), inputs: plain(reply.getInputs()) };
  }

  async update(id: string, urn: string, olds: Props, news: Props): Promise<Props> {
    const request = new proto.UpdateRequest();
    request.setId(id);
    request.setUrn(urn);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const reply = await this.#unary<proto.UpdateResponse>((callback) => this.#client.update(request, callback));
    return plain(reply.getProperties());
  }

  async delete(id: string, urn: string, properties: Props): Promise<void> {
    const request = new proto.DeleteRequest();
    request.setId(id);
    request.setUrn(urn);
    request.setProperties(struct(properties));
    await this.#unary<unknown>((callback) => this.#client.delete(request, callback));
  }

  async stop(): Promise<void> {
    this.#client.close();
    if (this.#child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once("exit", () => { resolve(); }));
    this.#child.kill();
    await exited;
  }
}

/** A resource as the engine keeps it in state between operations. */
export interface ResourceState {
  name: string;
  id: string;
  inputs: Props;
  outputs: Props;
}

/** What `pulumi up` would do for one resource, given the program's inputs and the state (if any). */
export type Step = "create" | "update" | "replace" | "same";

/**
 * Sequences host calls per resource the way the engine does: check (old inputs, new inputs) → diff (old outputs,
 * checked inputs) → create / update / replace (create new, then delete old), and read for refresh.
 */
export class Engine {
  constructor(
    readonly host: ProviderHost,
    readonly providerText: string,
  ) {}

  #news(program: Props): Props {
    return { ...program, __provider: this.providerText };
  }

  async up(name: string, program: Props, state?: ResourceState): Promise<{ step: Step; state: ResourceState }> {
    const urn = urnOf(name);
    const checked = await this.host.check(urn, state?.inputs ?? {}, this.#news(program));
    if (checked.failures.length > 0) {
      throw new Error(`check failed: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    }
    if (state === undefined) {
      const created = await this.host.create(urn, checked.inputs);
      return { step: "create", state: { name, id: created.id, inputs: checked.inputs, outputs: created.properties } };
    }
    const diff = await this.host.diff(state.id, urn, state.outputs, checked.inputs);
    if (diff.changes !== "some") return { step: "same", state };
    if (diff.replaces.length > 0) {
      const created = await this.host.create(urn, checked.inputs);
      await this.host.delete(state.id, urn, state.outputs);
      return { step: "replace", state: { name, id: created.id, inputs: checked.inputs, outputs: created.properties } };
    }
    const outputs = await this.host.update(state.id, urn, state.outputs, checked.inputs);
    return { step: "update", state: { ...state, inputs: checked.inputs, outputs } };
  }

  /** `pulumi refresh` for one resource: undefined when the provider says it no longer exists. */
  async refresh(state: ResourceState): Promise<ResourceState | undefined> {
    const read = await this.host.read(state.id, urnOf(state.name), state.outputs, state.inputs);
    if (read.id === "") return undefined;
    return { name: state.name, id: read.id, inputs: read.inputs, outputs: read.properties };
  }

  async destroy(state: ResourceState): Promise<void> {
    await this.host.delete(state.id, urnOf(state.name), state.outputs);
  }
}
