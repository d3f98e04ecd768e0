/**
 * `pulumi-fansly report` (and `import`) against an API that sends what the contract does not promise: labels that
 * hold terminal escapes, counters that are not counts, counters past 2^53, and payloads nested one level up or down.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main";
import { parseLinkSetText } from "../../src/linkSet/file";
import { runCaptured, type CliRun } from "../cli/capturedIo";
import { parseCsv } from "./fixture";
import { envelope, linkText, startCannedApi, type CannedApi } from "./cannedApi";

const KEY = "untrusted-canary-key-9b2c";
const ACCOUNT = "fansly_canned";
const LINKS = `/api/fansly/${ACCOUNT}/tracking-links`;
/** A control or bidi character other than a line break (CSV's CRLF included) or tab: what no output may carry raw. */
// eslint-disable-next-line no-control-regex -- the characters this test looks for
const RAW_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;
const HOSTILE_LABEL = "red\u001b[31m alert\u001b]0;pwned\u0007 nul\u0000 \u202Eexe.txt";

let api: CannedApi | undefined;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pulumi-fansly-untrusted-"));
});

afterEach(async () => {
  await api?.close();
  api = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** The accounts reply as seen in use (`data.accounts`), and a list at Fansly's `data.data.response`. */
async function serve(links: readonly string[], accounts: unknown = { success: true, count: 1, accounts: [{ accountId: ACCOUNT }] }): Promise<void> {
  api = await startCannedApi({
    "/api/fansly/accounts": envelope(accounts),
    [LINKS]: envelope(`{"status_code":200,"data":{"success":true,"response":[${links.join(",")}]}}`),
  });
}

function run(argv: string[]): Promise<CliRun> {
  return runCaptured(runCli, argv, { env: { FANSLY_API_KEY: KEY, FANSLY_API_BASE_URL: api?.url ?? "" }, cwd: dir });
}

describe("labels from the API in every format", () => {
  test("the table and CSV show control and bidi characters escaped; JSON keeps the exact label with JSON's escapes; HTML shows them", async () => {
    await serve([linkText("1", HOSTILE_LABEL), linkText("2", "Plain")]);
    const outputs: Record<string, string> = {};
    for (const format of ["table", "csv", "json", "html"]) {
      const { code, stdout, stderr } = await run(["report", "--format", format]);
      expect({ format, code, stderr: code === 0 ? "" : stderr }).toEqual({ format, code: 0, stderr: "" });
      expect(stdout).not.toMatch(RAW_CONTROL);
      outputs[format] = stdout;
    }
    expect(outputs.table).toContain("red\\u001b[31m …");
    expect(parseCsv(outputs.csv ?? "").find((row) => row.link_id === "1")?.label).toBe("red\\u001b[31m alert\\u001b]0;pwned\\u0007 nul\\u0000 \\u202eexe.txt");
    const json = JSON.parse(outputs.json ?? "") as { links: { linkId: string; label: string }[] };
    expect(json.links.find((link) => link.linkId === "1")?.label).toBe(HOSTILE_LABEL);
    expect(outputs.html).toContain("red\\u001b[31m alert");
  });

  test("an error message quoting the server is escaped too", async () => {
    api = await startCannedApi({ "/api/fansly/accounts": `{"statusCode":400,"message":"bad \\u001b[2J request","data":null}` });
    const { code, stderr } = await run(["report"]);
    expect(code).toBe(1);
    expect(stderr).toContain("bad \\u001b[2J request");
    expect(stderr).not.toMatch(RAW_CONTROL);
  });
});

describe("counters: whole numbers of 0 or more, exact", () => {
  test.each([
    ["a negative count", "-5"],
    ["a fraction", "1.5"],
    ["1e300", "1e300"],
    ["a 400-digit quoted number", `"${"9".repeat(400)}"`],
    ["text", '"many"'],
  ])("%s is an API problem naming the link and field, exit 1, nothing printed", async (_what, raw) => {
    await serve([linkText("845759434926862336", "Plain"), linkText("845759434926862337", "Odd", { subscriptions: raw })]);
    const { code, stdout, stderr } = await run(["report", "--format", "csv"]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toContain("unexpected reply (GET");
    expect(stderr).toContain("link 845759434926862337: subscriptions must be a whole number from 0 to 9223372036854775807");
    expect(stderr).toContain("please report this");
    expect(stderr.length).toBeLessThan(1_500);
  });

  test("two counters of 2^53 - 1 add up exactly, and one past 2^53 keeps every digit, in the table, CSV and JSON", async () => {
    const max = "9007199254740991";
    await serve([linkText("1", "A", { clicks: max, totalNet: "9007199254740993" }), linkText("2", "B", { clicks: max })]);

    const json = await run(["report", "--format", "json"]);
    expect(json.code).toBe(0);
    expect(json.stdout).toMatch(/"links": \{\s*"counters": \{\s*"clicks": 18014398509481982,/);
    expect(json.stdout).toContain('"net": 9007199254740993\n');
    const csv = await run(["report", "--format", "csv"]);
    const total = parseCsv(csv.stdout).find((row) => row.row === "total links" && row.account === "");
    expect(total?.clicks).toBe("18014398509481982");
    expect(parseCsv(csv.stdout).find((row) => row.link_id === "1")?.net_raw_units).toBe("9007199254740993");
    const table = await run(["report"]);
    expect(table.stdout).toContain("18,014,398,509,481,982");
  });

  test("a snapshot keeps a counter past 2^53 exact, and the next run's change is exact", async () => {
    await serve([linkText("1", "A", { totalNet: "9007199254740993" })]);
    expect((await run(["report", "--save", "snapshots"])).code).toBe(0);
    await api?.close();
    await serve([linkText("1", "A", { totalNet: "9007199254740995" })]);
    const second = await run(["report", "--save", "snapshots", "--format", "csv"]);
    expect(second.code).toBe(0);
    expect(parseCsv(second.stdout).find((row) => row.link_id === "1")?.net_raw_units_change_previous).toBe("2");
  });
});

describe("replies nested one level deeper or shallower", () => {
  test.each([
    ["data.data.accounts", { status_code: 200, data: { success: true, accounts: [{ accountId: ACCOUNT }] } }],
    ["data.data.response.accounts", { status_code: 200, data: { success: true, response: { accounts: [{ accountId: ACCOUNT }] } } }],
  ])("report reads the accounts at %s", async (_where, accounts) => {
    await serve([linkText("1", "A")], accounts);
    const { code, stdout } = await run(["report", "--format", "csv"]);
    expect(code).toBe(0);
    expect(parseCsv(stdout).map((row) => row.link_id)).toContain("1");
  });

  test("report and import read a list sent one level up (Fansly's answer at data.response)", async () => {
    api = await startCannedApi({
      "/api/fansly/accounts": envelope({ accounts: [{ accountId: ACCOUNT }] }),
      [LINKS]: envelope(`{"success":true,"response":[${linkText("845759434926862336", "Twitter bio")}]}`),
    });
    expect((await run(["report", "--format", "csv"])).code).toBe(0);
    const imported = await run(["import", "--account", ACCOUNT]);
    expect(imported.code).toBe(0);
    expect(parseLinkSetText(imported.stdout, "links.yaml").data.links["twitter-bio"]?.trackingLinkId).toBe("845759434926862336");
  });
});
