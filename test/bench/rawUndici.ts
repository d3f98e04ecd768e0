/**
 * The floor for the host runs: the same creates and deletes sent straight with undici (one keep-alive Agent,
 * `reset: false`), nothing else. Run as its own process, as the provider host is; prints its timings as JSON.
 * Usage: node rawUndici.js '{"url":…,"key":…,"account":…,"links":1000,"inFlight":32}'
 */
import { Agent, request } from "undici";
import { inParallel, timed } from "./measure";

interface RawSettings {
  url: string;
  key: string;
  account: string;
  links: number;
  inFlight: number;
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2] ?? "{}") as RawSettings;
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const path = `${settings.url}/api/fansly/${settings.account}/tracking-links`;
  const send = async (method: "POST" | "DELETE", body: unknown): Promise<unknown> => {
    const reply = await request(path, {
      method,
      dispatcher: agent,
      reset: false,
      headers: { "x-api-key": settings.key, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = (await reply.body.json()) as { data?: { data?: { response?: { id?: string } } } };
    if (reply.statusCode !== 200) throw new Error(`${method} → ${reply.statusCode}`);
    return json;
  };
  const indexes = Array.from({ length: settings.links }, (_, i) => i);
  const ids: string[] = [];
  const creates = await timed(() =>
    inParallel(indexes, settings.inFlight, async (i) => {
      const json = (await send("POST", { label: `Raw ${i}`, description: `raw link ${i}` })) as { data: { data: { response: { id: string } } } };
      ids.push(json.data.data.response.id);
    }),
  );
  const deletes = await timed(() => inParallel(ids, settings.inFlight, (id) => send("DELETE", { trackingLinkId: id })));
  await agent.close();
  process.stdout.write(JSON.stringify({ createMs: creates.ms, deleteMs: deletes.ms }));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
