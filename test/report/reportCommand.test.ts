/**
 * `pulumi-fansly report`, in-process, against the emulator with traffic in two accounts: the four formats agree
 * with each other and with the emulator on every number, each account is listed once, snapshots give changes, and
 * every bad input is one line naming the fix with nothing written.
 */
import { execFile } from "node:child_process";
import { chmod, lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { PerformanceReport } from "../../src/report";
import { ALPHA, AWKWARD_LABELS, BETA, columns, KEY, numberOf, parseCsv, startFixture, type Fixture } from "./fixture";

/** The report as its JSON reads back with JSON.parse: counters (bigints in the model) are plain numbers at these sizes. */
type Jsonified<T> = T extends bigint ? number : T extends (infer U)[] ? Jsonified<U>[] : T extends object ? { [K in keyof T]: Jsonified<T[K]> } : T;
type ReportJson = Jsonified<PerformanceReport> & { kind: string; version: number };
type Row = ReportJson["links"][number];

let fixture: Fixture;

beforeEach(async () => {
  fixture = await startFixture({ emptyAccount: "fansly_empty" });
  fixture.emulator.clearRequests();
});

afterEach(async () => {
  await fixture.close();
});

async function jsonReport(argv: string[] = []): Promise<ReportJson> {
  const { code, stdout, stderr } = await fixture.run(["--format", "json", ...argv]);
  expect({ code, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, stderr: "" });
  return JSON.parse(stdout) as ReportJson;
}

/** A line as terminal columns: a wide character takes two (then its cells line up with the header's). */
function asColumns(line: string): string[] {
  return Array.from(line).flatMap((char) => (columns(char) === 2 ? [char, ""] : [char]));
}

/** The table's rows per account section: label, and the cell under each (right-aligned) header. */
function tableRows(table: string): { section: string; label: string; cells: Record<string, string> }[] {
  const rows: { section: string; label: string; cells: Record<string, string> }[] = [];
  let section = "";
  let headers: { name: string; start: number; end: number }[] = [];
  for (const line of table.split("\n")) {
    const heading = /^── (\S+) /.exec(line);
    if (heading !== null) {
      section = heading[1] ?? "";
    } else if (/^(Link)?\s+Clicks /.test(line)) {
      headers = [...line.matchAll(/\S+/g)].filter((m) => m[0] !== "Link").map((m, i, all) => ({ name: m[0], start: i === 0 ? m.index : (all[i - 1]?.index ?? 0) + (all[i - 1]?.[0].length ?? 0), end: m.index + m[0].length }));
    } else if (line.trim() === "") {
      headers = [];
    } else if (headers.length > 0 && !line.startsWith("Fansly's") && !line.startsWith("(")) {
      const cols = asColumns(line);
      const cut = (from: number, to: number): string => cols.slice(from, to).join("").trim();
      rows.push({ section, label: cut(0, (headers[0]?.start ?? 0) - 1), cells: Object.fromEntries(headers.map((h) => [h.name, cut(h.start, h.end)])) });
    }
  }
  return rows;
}

function htmlRows(html: string): { attributes: Record<string, string>; cells: Record<string, { value: string; shown: string }> }[] {
  return [...html.matchAll(/<tr ([^>]*data-row="[^"]*"[^>]*)>(.*?)<\/tr>/g)].map((match) => ({
    attributes: Object.fromEntries([...(match[1] ?? "").matchAll(/data-([\w-]+)="([^"]*)"/g)].map((a) => [a[1] ?? "", a[2] ?? ""])),
    cells: Object.fromEntries([...(match[2] ?? "").matchAll(/<td data-col="([^"]+)" data-value="([^"]*)">([^<]*)<\/td>/g)].map((c) => [c[1] ?? "", { value: c[2] ?? "", shown: c[3] ?? "" }])),
  }));
}

const TABLE_COUNTERS: Record<string, keyof Row["counters"]> = { Clicks: "clicks", Claims: "claims", Follows: "follows", Subs: "subscriptions", Gross: "gross", Net: "net" };
const TABLE_RATIOS: Record<string, keyof Row["ratios"]> = { "Cl/Ck": "claimsPerClick", "Sb/Cl": "subscriptionsPerClaim", "Net/Ck": "netPerClick" };
const CSV_COUNTERS: Record<keyof Row["counters"], string> = { clicks: "clicks", claims: "claims", follows: "follows", subscriptions: "subscriptions", gross: "gross_raw_units", net: "net_raw_units" };

/** A table cell shows the JSON number: counters exactly, ratios to the digit shown. */
function expectCellShows(shown: string, value: number | null, isRatio: boolean): void {
  const read = numberOf(shown);
  if (value === null) {
    expect(shown).toBe("–");
  } else if (!isRatio) {
    expect(read).toBe(value);
  } else {
    const decimals = shown.endsWith("%") ? 3 : 1;
    expect(Math.abs((read ?? NaN) - value)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-9);
  }
}

describe("the four formats", () => {
  test("table, CSV, JSON and HTML agree on every number, and JSON agrees with the emulator", async () => {
    const json = await jsonReport();
    const csv = parseCsv((await fixture.run(["--format", "csv"])).stdout);
    const table = (await fixture.run([])).stdout;
    expect((await fixture.run(["--out", "report.html"])).code).toBe(0);
    const html = await readFile(join(fixture.dir, "report.html"), "utf8");

    // JSON against the emulator: every link of both accounts, with its counters.
    const store = fixture.emulator.store;
    const expected = [ALPHA, BETA, "fansly_empty"].flatMap((accountId) => store.listLinks(accountId).map((link) => ({ accountId, link })));
    const all = [...json.links, ...json.builtIn];
    expect(all).toHaveLength(expected.length);
    for (const { accountId, link } of expected) {
      const row = all.find((r) => r.linkId === link.id);
      expect(row).toMatchObject({ accountId, label: link.label, builtIn: link.type === 1 });
      expect(row?.counters).toEqual({ clicks: link.clicks, claims: link.claims, follows: link.follows, subscriptions: link.subscriptions, gross: link.totalGross, net: link.totalNet });
    }

    // CSV: the same rows, numbers and ratios exactly as JSON.
    const csvRows = csv.filter((r) => r.row === "link" || r.row === "built-in");
    expect(csvRows.map((r) => r.link_id)).toEqual([...json.links, ...json.builtIn].map((r) => r.linkId));
    for (const [i, row] of [...json.links, ...json.builtIn].entries()) {
      const line = csvRows[i] ?? {};
      expect(line.account).toBe(row.accountId);
      for (const [name, column] of Object.entries(CSV_COUNTERS)) expect(Number(line[column])).toBe(row.counters[name as keyof Row["counters"]]);
      expect(line.claims_per_click === "" ? null : Number(line.claims_per_click)).toBe(row.ratios.claimsPerClick);
      expect(line.net_per_click === "" ? null : Number(line.net_per_click)).toBe(row.ratios.netPerClick);
    }
    const csvTotals = csv.filter((r) => r.row?.startsWith("total") === true);
    expect(csvTotals.find((r) => r.row === "total links" && r.account === "")?.net_raw_units).toBe(String(json.totals.links.counters.net));
    expect(csvTotals.find((r) => r.row === "total built-in" && r.account === BETA)?.clicks).toBe(String(json.accounts.find((a) => a.accountId === BETA)?.totals.builtIn.counters.clicks));

    // Table: each account's rows in JSON's order, every cell showing JSON's number.
    const rows = tableRows(table);
    for (const account of json.accounts) {
      const inSection = rows.filter((r) => r.section === account.accountId);
      const shown = [...account.links, { ...account.totals.links }, ...account.builtIn];
      expect(inSection).toHaveLength(shown.length);
      inSection.forEach((r, i) => {
        const source = shown[i];
        if (source === undefined) throw new Error("row count checked above");
        for (const [header, cell] of Object.entries(r.cells)) {
          const counter = TABLE_COUNTERS[header];
          const ratio = TABLE_RATIOS[header];
          if (cell === "") throw new Error(`empty cell ${header} in ${r.label}`);
          if (counter !== undefined) expectCellShows(cell, source.counters[counter], false);
          else if (ratio !== undefined) expectCellShows(cell, source.ratios[ratio], true);
          else throw new Error(`unexpected column ${header}`);
        }
      });
    }
    const overall = rows.filter((r) => r.section === "All");
    expect(overall.map((r) => numberOf(r.cells.Net ?? ""))).toEqual([json.totals.links.counters.net, json.totals.builtIn.counters.net]);

    // HTML: every row's data-value is JSON's number, and the text shown reads as the same number.
    const htmlByKind = htmlRows(html);
    for (const row of [...json.links, ...json.builtIn]) {
      const found = htmlByKind.find((r) => r.attributes["link-id"] === row.linkId);
      expect(found?.attributes.account).toBe(row.accountId);
      for (const [name, value] of Object.entries(row.counters)) {
        expect(Number(found?.cells[name]?.value)).toBe(value);
        expectCellShows(found?.cells[name]?.shown ?? "", value, false);
      }
      for (const [name, value] of Object.entries(row.ratios)) {
        expect(found?.cells[name]?.value).toBe(value === null ? "" : String(value));
        expectCellShows(found?.cells[name]?.shown ?? "", value, true);
      }
    }
    const htmlTotal = htmlByKind.find((r) => r.attributes.row === "total links" && r.attributes.account === "");
    expect(Number(htmlTotal?.cells.net?.value)).toBe(json.totals.links.counters.net);
  });

  test("sorted by net, then subscriptions; built-in sources apart; totals add up", async () => {
    const [first, second] = fixture.emulator.store.customLinks(BETA);
    // A tie on net that subscriptions must break, at the top of the list.
    fixture.emulator.store.setCounters([
      { accountId: BETA, linkId: first?.id ?? "", counters: { clicks: 10, claims: 5, subscriptions: 1, totalGross: 90_000_000, totalNet: 72_000_000 } },
      { accountId: BETA, linkId: second?.id ?? "", counters: { clicks: 10, claims: 5, subscriptions: 3, totalGross: 90_000_000, totalNet: 72_000_000 } },
    ]);
    const json = await jsonReport();
    expect(json.links.slice(0, 2).map((r) => r.linkId)).toEqual([second?.id, first?.id]);
    for (let i = 1; i < json.links.length; i++) {
      const [a, b] = [json.links[i - 1], json.links[i]];
      expect((a?.counters.net ?? 0) > (b?.counters.net ?? 0) || ((a?.counters.net ?? 0) === (b?.counters.net ?? 0) && (a?.counters.subscriptions ?? 0) >= (b?.counters.subscriptions ?? 0))).toBe(true);
    }
    expect(json.links.every((r) => !r.builtIn)).toBe(true);
    expect(json.builtIn.map((r) => r.label).sort()).toEqual(["For You", "For You", "For You", "Search", "Search", "Search", "Suggestions", "Suggestions", "Suggestions"]);
    expect(json.totals.links.counters.net).toBe(json.links.reduce((sum, r) => sum + r.counters.net, 0));
    expect(json.totals.builtIn.counters.clicks).toBe(json.builtIn.reduce((sum, r) => sum + r.counters.clicks, 0));
    expect(json.moneyUnit).toContain("raw integer units");
    expect(json.links.some((r) => r.label === "=HYPERLINK(1)")).toBe(true);
  });

  test("the table fits 80 columns: long labels are cut in the middle, no row wraps, money is labelled", async () => {
    const { stdout } = await fixture.run([]);
    const lines = stdout.trimEnd().split("\n");
    expect(Math.max(...lines.map(columns))).toBeLessThanOrEqual(80);
    expect(stdout).toContain("raw integer units");
    expect(stdout).toMatch(/^Twitter.*….*one +\d/m);
    expect(stdout).toContain("Fansly's built-in sources (not links):");
    // Huge counters squeeze the label; a column is dropped (and named) rather than a row wrapping.
    const top = fixture.emulator.store.customLinks(ALPHA)[0];
    fixture.emulator.store.setCounters([{ accountId: ALPHA, linkId: top?.id ?? "", counters: { clicks: 9_876_543_210, claims: 8_765_432_109, totalGross: 987_654_321_098, totalNet: 876_543_210_987 } }]);
    const squeezed = (await fixture.run([])).stdout;
    expect(Math.max(...squeezed.trimEnd().split("\n").map(columns))).toBeLessThanOrEqual(80);
    expect(squeezed).toMatch(/^Not shown, to fit 80 columns: Follows, Gross.* \(--format csv has them\)$/m);
    expect(squeezed).toContain("876,543,210,987");
  });

  test("--money-unit names the money in the table, JSON and HTML, and converts no figure", async () => {
    const raw = await jsonReport();
    const named = await jsonReport(["--money-unit", "USD cents"]);
    expect(named.moneyUnit).toBe("USD cents");
    expect(named.totals.links.counters).toEqual(raw.totals.links.counters);
    expect((await fixture.run(["--money-unit", "USD cents"])).stdout).toMatch(/^Gross and Net in USD cents\.$/m);
    expect((await fixture.run(["--money-unit", "USD cents", "--format", "html"])).stdout).toContain("money (gross, net) in USD cents</p>");
  });

  test("CSV quotes labels with commas and quotes, and defuses a label a spreadsheet would run as a formula", async () => {
    const { stdout } = await fixture.run(["--format", "csv"]);
    expect(stdout.split("\r\n")[0]).toContain("gross_raw_units,net_raw_units");
    const labels = parseCsv(stdout).map((r) => r.label);
    expect(labels).toContain('Reddit "hot" post, #3');
    expect(labels).toContain("'=HYPERLINK(1)");
    expect(labels).toContain(AWKWARD_LABELS[0]);
  });

  test("the key appears in no output", async () => {
    for (const format of ["table", "csv", "json", "html"]) {
      const { stdout, stderr } = await fixture.run(["--format", format, "--save", "snapshots"]);
      expect(stdout + stderr).not.toContain(KEY);
    }
    for (const name of await readdir(join(fixture.dir, "snapshots"))) expect(await readFile(join(fixture.dir, "snapshots", name), "utf8")).not.toContain(KEY);
  });
});

describe("one listing per account", () => {
  test("a report of every account asks for the accounts once and each account's links once, and only GETs", async () => {
    expect((await fixture.run(["--format", "html", "--save", "snapshots", "--out", "r.html"])).code).toBe(0);
    const requests = fixture.emulator.requests();
    expect(requests.every((r) => r.method === "GET")).toBe(true);
    expect(requests.filter((r) => r.path === "/api/fansly/accounts")).toHaveLength(1);
    const listings = requests.filter((r) => r.path.endsWith("/tracking-links")).map((r) => r.accountId);
    expect(listings.sort()).toEqual([ALPHA, BETA, "fansly_empty"]);
  });

  test("--account twice for the same account still lists it once", async () => {
    expect((await fixture.run(["--account", BETA, "--account", BETA])).code).toBe(0);
    expect(fixture.emulator.requests().filter((r) => r.path.endsWith("/tracking-links")).map((r) => r.accountId)).toEqual([BETA]);
  });
});

describe("--save: snapshots and the change since", () => {
  test("a second run shows the change since the first; a third, the change since the second", async () => {
    const first = await fixture.run(["--save", "snapshots"]);
    expect(first.stderr).toContain("(the first: changes show from the next run)");
    expect(first.stdout).not.toContain("Δ previous");
    const before = await jsonReport();
    fixture.traffic.tick(30);
    const second = await fixture.run(["--save", "snapshots"]);
    expect(second.stderr).toContain("compared with the previous snapshot");
    expect(second.stdout).toMatch(/^Δ previous: since the snapshot of \d{4}-\d\d-\d\d \d\d:\d\d UTC$/m);

    const after = await jsonReport(["--save", "snapshots"]); // a third run compares with the second
    expect((await readdir(join(fixture.dir, "snapshots"))).filter((n) => n.endsWith(".json"))).toHaveLength(3);
    const net = (report: ReportJson): number => report.accounts.find((a) => a.accountId === ALPHA)?.totals.links.counters.net ?? 0;
    expect(after.comparisons.map((c) => c.name)).toEqual(["previous"]);
    // Between the second and third runs nothing moved; the table of the second run shows the 30 ticks.
    expect(after.accounts.find((a) => a.accountId === ALPHA)?.totals.links.changes.previous?.net).toBe(0);
    const alphaChange = tableRows(second.stdout).find((r) => r.section === ALPHA && r.label === "Δ previous");
    expect(numberOf(alphaChange?.cells.Net ?? "")).toBe(net(after) - net(before));
    expect(net(after) - net(before)).toBeGreaterThan(0);
  });

  test("changes since 7 and 30 days ago come from snapshots that old (allowing a few hours of schedule jitter)", async () => {
    const store = fixture.emulator.store;
    // Enough net in every link that the older snapshots below can hold less.
    store.setCounters(store.customLinks(ALPHA).map((link) => ({ accountId: ALPHA, linkId: link.id, counters: { totalGross: link.totalGross + 20_000, totalNet: link.totalNet + 10_000 } })));
    const json = await jsonReport();
    const dir = join(fixture.dir, "snapshots");
    await mkdir(dir);
    const day = 24 * 60 * 60 * 1000;
    // 8 days ago, 7 days less 2 hours ago, and yesterday; nothing 30 days old.
    const ages = [8 * day, 7 * day - 2 * 60 * 60 * 1000, day];
    for (const [i, age] of ages.entries()) {
      const takenAt = new Date(Date.now() - age);
      const accounts = { [ALPHA]: json.accounts.find((a) => a.accountId === ALPHA)?.links.map((l) => ({ id: l.linkId, label: l.label, builtIn: false, counters: { ...l.counters, net: l.counters.net - (i + 1) * 1000 } })) ?? [] };
      await writeFile(join(dir, `performance-${takenAt.toISOString().replace(/[:.]/g, "-")}.json`), JSON.stringify({ kind: "pulumi-fansly/performance-snapshot", version: 1, takenAt: takenAt.toISOString(), accounts }));
    }
    const report = await jsonReport(["--save", "snapshots"]);
    expect(report.comparisons.map((c) => c.name)).toEqual(["previous", "7d"]);
    const alpha = report.accounts.find((a) => a.accountId === ALPHA);
    const links = alpha?.links.length ?? 0;
    expect(alpha?.totals.links.changes.previous?.net).toBe(3000 * links);
    expect(alpha?.totals.links.changes["7d"]?.net).toBe(2000 * links);
    // BETA was not in those snapshots: no change is claimed for it.
    expect(report.accounts.find((a) => a.accountId === BETA)?.totals.links.changes).toEqual({});
    expect(report.trend[ALPHA]).toHaveLength(4);
  });
});

describe("--out writes over a regular file only", () => {
  test("an existing 0600 file is rewritten and stays 0600", async () => {
    const path = join(fixture.dir, "report.csv");
    await writeFile(path, "old");
    await chmod(path, 0o600);
    const { code } = await fixture.run(["--out", "report.csv"]);
    expect(code).toBe(0);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, "utf8")).toMatch(/^row,account,link_id,label,/);
  });

  test("a symbolic link is refused before any request, and stays a link to an untouched file", async () => {
    await writeFile(join(fixture.dir, "target.txt"), "keep me");
    await symlink("target.txt", join(fixture.dir, "report.csv"));
    const { code, stdout, stderr } = await fixture.run(["--out", "report.csv"]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr.trimEnd()).toBe("pulumi-fansly report: report.csv is a symbolic link: it is not replaced by a file; pass the path it points to, or another file");
    expect((await lstat(join(fixture.dir, "report.csv"))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(fixture.dir, "report.csv"))).toBe("target.txt");
    expect(await readFile(join(fixture.dir, "target.txt"), "utf8")).toBe("keep me");
    expect(fixture.emulator.requests()).toHaveLength(0);
  });

  // A pipe the test makes stands in for a device: a regression must not turn the machine's /dev/null into a file.
  test("a pipe or a folder is refused, not replaced", async () => {
    await promisify(execFile)("mkfifo", [join(fixture.dir, "pipe")]);
    for (const [out, kind] of [["pipe", "a pipe"], [".", "a folder"]] as const) {
      const { code, stderr } = await fixture.run(["--out", out]);
      expect(code).toBe(1);
      expect(stderr.trimEnd()).toBe(`pulumi-fansly report: ${out} is ${kind}, not a regular file: pass a file path for the output`);
    }
    expect((await lstat(join(fixture.dir, "pipe"))).isFIFO()).toBe(true);
    expect(fixture.emulator.requests()).toHaveLength(0);
  });

  test("a path inside the --save folder is refused before any request, so the folder stays readable", async () => {
    const { code, stderr } = await fixture.run(["--out", "snapshots/report.json", "--save", "snapshots"]);
    expect(code).toBe(1);
    expect(stderr.trimEnd()).toBe(
      "pulumi-fansly report: snapshots/report.json is inside the --save folder snapshots, which holds only snapshots (the next run would refuse it): write the report elsewhere",
    );
    expect(await readdir(join(fixture.dir, "snapshots")).catch(() => [])).toEqual([]);
    expect(fixture.emulator.requests()).toHaveLength(0);
  });
});

describe("bad input: one line naming the fix, nothing written", () => {
  async function expectFailure(argv: string[], message: RegExp, env?: NodeJS.ProcessEnv): Promise<void> {
    const { code, stdout, stderr } = await fixture.run(["--out", "report.html", "--save", "snapshots", ...argv], env);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n").at(-1)).toMatch(message);
    expect(stderr).not.toMatch(/\n.*\n.*\n/); // a progress line at most, then the one-line message
    expect(await readdir(fixture.dir)).toEqual(expect.not.arrayContaining(["report.html"]));
    expect(await readdir(join(fixture.dir, "snapshots")).catch(() => [])).toEqual([]);
  }

  test("an unknown account names the key's accounts", async () => {
    await expectFailure(["--account", "fansly_nope"], /^pulumi-fansly report: fansly_nope is not an account of this key: pass --account with one of fansly_alpha, fansly_beta, fansly_empty, or connect it in the apifansly dashboard$/);
  });

  test("a key that cannot list says to fix FANSLY_API_KEY", async () => {
    await expectFailure([], /FANSLY_API_KEY may not list its accounts \(HTTP 401 .*\): copy a valid key from the apifansly dashboard into FANSLY_API_KEY$/, { FANSLY_API_KEY: "wrong-key", FANSLY_API_BASE_URL: fixture.emulator.url });
  });

  test("a key refused on one account's links names that account", async () => {
    fixture.emulator.addFault({ method: "GET", path: `/${BETA}/tracking-links`, status: 403 });
    await expectFailure([], /FANSLY_API_KEY may not list the tracking links of fansly_beta \(HTTP 403\): reconnect the account in the apifansly dashboard/);
  });

  test("an account with no links of its own says to create some or report others", async () => {
    await expectFailure(["--account", "fansly_empty"], /fansly_empty has no tracking links of its own yet .*: create links \(a TrackingLink in your stack\), or report other accounts with --account$/);
  });

  test("beside other accounts, an empty account is a note, not a failure", async () => {
    const { code, stderr } = await fixture.run([]);
    expect(code).toBe(0);
    expect(stderr).toContain("note: fansly_empty has no tracking links of its own yet");
  });

  test.each([
    ["a corrupt snapshot", "performance-2026-11-01T06-23-05-000Z.json", '{"kind": "pulumi-fansly/perf', /performance-2026-11-01T06-23-05-000Z\.json is not valid JSON \(.*\): delete it, or restore it from an earlier copy/],
    ["a foreign JSON file", "performance-2026-11-01T06-23-05-000Z.json", '{"hello": "world"}', /is not a valid pulumi-fansly snapshot \(.*\): delete it/],
    ["a foreign file", "notes.txt", "hello", /snapshots\/notes\.txt is not a pulumi-fansly snapshot: move it out of snapshots .*, or --save another folder$/],
    [
      "a snapshot dated in the future",
      "performance-2099-01-01T00-00-00-000Z.json",
      JSON.stringify({ kind: "pulumi-fansly/performance-snapshot", version: 1, takenAt: "2099-01-01T00:00:00.000Z", accounts: {} }),
      /snapshots\/performance-2099-01-01T00-00-00-000Z\.json is dated 2099-01-01T00:00:00\.000Z, after this machine's time \(.*\): a snapshot cannot come from the future; check this machine's clock, or delete the file$/,
    ],
  ])("%s in the snapshot folder fails before any request", async (_what, name, content, message) => {
    await mkdir(join(fixture.dir, "snapshots"));
    await writeFile(join(fixture.dir, "snapshots", name), content);
    const { code, stdout, stderr } = await fixture.run(["--out", "report.html", "--save", "snapshots"]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr.trimEnd()).toMatch(message);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(fixture.emulator.requests()).toHaveLength(0);
    expect(await readdir(join(fixture.dir, "snapshots"))).toEqual([name]);
    expect(await readdir(fixture.dir)).not.toContain("report.html");
  });

  test.each([
    [["--format", "pdf"], "--format must be one of table, csv, json, html"],
    [["--api-key", "abc"], "--api-key is not accepted"],
    [["--account", "has space"], "--account must be apifansly's account id"],
    [["--save", ""], "--save needs a folder"],
    [["--money-unit", ""], "--money-unit needs a short name"],
    [["--money-unit", "USD\u202ecents"], "--money-unit needs a short name"],
    [["--money-unit", "x".repeat(41)], "--money-unit needs a short name"],
  ])("%j is a usage error (exit 2)", async (argv, message) => {
    const { code, stderr } = await fixture.run(argv);
    expect(code).toBe(2);
    expect(stderr.split("\n")[0]).toContain(message);
  });

  test("without FANSLY_API_KEY: a usage error naming the variable", async () => {
    const { code, stderr } = await fixture.run([], {});
    expect(code).toBe(2);
    expect(stderr.split("\n")[0]).toBe("pulumi-fansly report: FANSLY_API_KEY is not set: export FANSLY_API_KEY=<your apifansly key> (read from the environment only)");
  });
});
