/**
 * A stand-in for the GitHub REST API routes the workflow's actions/github-script steps call (issue comments, issues),
 * on 127.0.0.1, for the workflow run by act with GITHUB_API_URL pointing here. Comments it stores are a bot's, as
 * those of GITHUB_TOKEN are.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

interface FakeComment {
  id: number;
  issue: number;
  body: string;
}

interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: string;
}

export interface FakeGitHub {
  server: Server;
  /** GITHUB_API_URL. */
  url: string;
  comments: FakeComment[];
  issues: FakeIssue[];
  /** Every request as "METHOD /path" (below /repos/<owner>/<repo>), oldest first. */
  calls: string[];
  close(): Promise<void>;
}

export async function startFakeGitHub(options: { repository: string; token: string }): Promise<FakeGitHub> {
  const comments: FakeComment[] = [];
  const issues: FakeIssue[] = [];
  const calls: string[] = [];
  let nextId = 100;
  const readBody = async (req: IncomingMessage): Promise<Record<string, string>> => {
    let text = "";
    for await (const chunk of req) text += (chunk as Buffer).toString();
    return text === "" ? {} : (JSON.parse(text) as Record<string, string>);
  };
  const asComment = (c: FakeComment): object => ({ id: c.id, body: c.body, user: { type: "Bot" }, html_url: `https://github.com/${options.repository}#comment-${c.id}` });
  const asIssue = (i: FakeIssue): object => ({ ...i, html_url: `https://github.com/${options.repository}/issues/${i.number}` });
  type Reply = [status: number, data: unknown];
  const route = (method: string, path: string, body: Record<string, string>): Reply => {
    calls.push(`${method} ${path}`);
    let match: RegExpExecArray | null;
    if ((match = /^\/issues\/(\d+)\/comments$/.exec(path)) !== null) {
      const issue = Number(match[1]);
      if (method === "GET") return [200, comments.filter((c) => c.issue === issue).map(asComment)];
      if (method === "POST") {
        const comment = { id: nextId++, issue, body: body.body ?? "" };
        comments.push(comment);
        return [201, asComment(comment)];
      }
    }
    if ((match = /^\/issues\/comments\/(\d+)$/.exec(path)) !== null && method === "PATCH") {
      const comment = comments.find((c) => c.id === Number(match?.[1]));
      if (comment === undefined) return [404, { message: "Not Found" }];
      comment.body = body.body ?? "";
      return [200, asComment(comment)];
    }
    if (path === "/issues" && method === "GET") return [200, issues.filter((i) => i.state === "open").map(asIssue)];
    if (path === "/issues" && method === "POST") {
      const issue = { number: nextId++, title: body.title ?? "", body: body.body ?? "", state: "open" };
      issues.push(issue);
      return [201, asIssue(issue)];
    }
    if ((match = /^\/issues\/(\d+)$/.exec(path)) !== null && method === "PATCH") {
      const issue = issues.find((i) => i.number === Number(match?.[1]));
      if (issue === undefined) return [404, { message: "Not Found" }];
      if (body.state !== undefined) issue.state = body.state;
      return [200, asIssue(issue)];
    }
    return [404, { message: "Not Found" }];
  };
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? "/", "http://x");
      const prefix = `/repos/${options.repository}`;
      const [status, data]: Reply =
        req.headers.authorization?.replace(/^(token|Bearer) /i, "") !== options.token
          ? [401, { message: "Bad credentials" }]
          : url.pathname.startsWith(prefix)
            ? route(req.method ?? "GET", url.pathname.slice(prefix.length), body)
            : [404, { message: "Not Found" }];
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(data));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    comments,
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
