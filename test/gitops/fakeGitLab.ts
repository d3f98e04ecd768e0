/**
 * A stand-in for the GitLab REST API routes the pipeline's scripts call (merge-request notes, issues and their
 * notes), on 127.0.0.1: the unit tests run the scripts against it, the pipeline test points CI_API_V4_URL at it.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeGitLabOptions {
  projectId: string;
  mergeRequestIid: string;
  /** The PRIVATE-TOKEN it accepts; anything else gets 401. */
  token: string;
  /** Notes per page of a listing (the script must follow x-next-page). */
  notesPerPage?: number;
}

export interface FakeGitLab {
  server: Server;
  /** CI_API_V4_URL. */
  url: string;
  notes: { id: number; body: string; system: boolean }[];
  issues: { iid: number; title: string; notes: string[] }[];
  /** Every request as "METHOD /path" (the path below /api/v4/projects/<id>), oldest first. */
  calls: string[];
  close(): Promise<void>;
}

export async function startFakeGitLab(options: FakeGitLabOptions): Promise<FakeGitLab> {
  const { projectId, mergeRequestIid, token, notesPerPage = 100 } = options;
  const notes = [{ id: 1, body: "a system note", system: true }];
  const issues: { iid: number; title: string; notes: string[] }[] = [];
  const calls: string[] = [];
  const mrNotes = `/merge_requests/${mergeRequestIid}/notes`;
  const readBody = async (req: IncomingMessage): Promise<Record<string, string>> => {
    let text = "";
    for await (const chunk of req) text += (chunk as Buffer).toString();
    return text === "" ? {} : (JSON.parse(text) as Record<string, string>);
  };
  type Reply = [status: number, data: unknown, headers?: Record<string, string>];
  const route = (method: string, url: URL, body: Record<string, string>): Reply => {
    const path = url.pathname.replace(`/api/v4/projects/${projectId}`, "");
    calls.push(`${method} ${path}`);
    if (path === mrNotes && method === "GET") {
      const page = Number(url.searchParams.get("page") ?? "1");
      const last = Math.ceil(notes.length / notesPerPage);
      return [200, notes.slice((page - 1) * notesPerPage, page * notesPerPage), page < last ? { "x-next-page": String(page + 1) } : {}];
    }
    if (path === mrNotes && method === "POST") {
      notes.push({ id: notes.length + 1, body: body.body ?? "", system: false });
      return [201, {}];
    }
    const put = new RegExp(`^${mrNotes}/(\\d+)$`).exec(path);
    if (put !== null && method === "PUT") {
      const note = notes.find((n) => n.id === Number(put[1]));
      if (note !== undefined) note.body = body.body ?? "";
      return [200, {}];
    }
    if (path === "/issues" && method === "GET") return [200, issues.filter((i) => i.title.includes(url.searchParams.get("search") ?? ""))];
    if (path === "/issues" && method === "POST") {
      issues.push({ iid: issues.length + 1, title: body.title ?? "", notes: [body.description ?? ""] });
      return [201, {}];
    }
    const issueNote = /^\/issues\/(\d+)\/notes$/.exec(path);
    if (issueNote !== null && method === "POST") {
      issues.find((i) => i.iid === Number(issueNote[1]))?.notes.push(body.body ?? "");
      return [201, {}];
    }
    return [404, { message: "404 Not Found" }];
  };
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const [status, data, headers] =
        req.headers["private-token"] === token ? route(req.method ?? "GET", new URL(req.url ?? "/", "http://x"), body) : ([401, { message: "401 Unauthorized" }] as Reply);
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(data));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v4`,
    notes,
    issues,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
