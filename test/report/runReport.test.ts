/**
 * The report's parts a user meets without the CLI: `runReport` (what `npm run demo` ends with), the choice of the
 * snapshots to compare with, and how the table and HTML show what has no denominator or no room.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { FanslyError } from "../../src/client";
import { renderHtml, renderTable, runReport } from "../../src/report";
import { buildReport } from "../../src/report/model";
import { chooseBaselines, SNAPSHOT_KIND, type AccountListing, type Snapshot } from "../../src/report/snapshots";
import { fitLabel } from "../../src/report/table";
import { ALPHA, BETA, columns, KEY, startFixture } from "./fixture";

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date("2026-12-02T06:23:10.000Z");

function snapshotAt(ageMs: number): Snapshot {
  return { kind: SNAPSHOT_KIND, version: 1, takenAt: new Date(NOW.getTime() - ageMs).toISOString(), accounts: {} };
}

describe("runReport (for the demo)", () => {
  test("prints the table and writes report.html, listing each account once", async () => {
    const fixture = await startFixture();
    try {
      fixture.emulator.clearRequests();
      let printed = "";
      const htmlFile = join(fixture.dir, "report.html");
      const report = await runReport({ apiKey: KEY, baseUrl: fixture.emulator.url, htmlFile, print: (text) => (printed += text) });
      expect(printed).toContain(`── ${ALPHA} `);
      expect(printed).toContain(`── ${BETA} `);
      expect(report.links).toHaveLength(30);
      const html = await readFile(htmlFile, "utf8");
      expect(html.match(/data-link-group=""/g)).toHaveLength(20);
      expect(fixture.emulator.requests().map((r) => `${r.method} ${r.path}`).sort()).toEqual([
        "GET /api/fansly/accounts",
        `GET /api/fansly/${ALPHA}/tracking-links`,
        `GET /api/fansly/${BETA}/tracking-links`,
      ]);
    } finally {
      await fixture.close();
    }
  });
});

describe("a report that cannot be made", () => {
  test("fails with a FanslyError whose code says the kind of trouble: a wrong key is FANSLY_AUTH, an unknown account FANSLY_VALIDATION", async () => {
    const fixture = await startFixture();
    try {
      const run = (apiKey: string, accounts?: string[]) =>
        runReport({ apiKey, baseUrl: fixture.emulator.url, ...(accounts === undefined ? {} : { accounts }), print: () => undefined }).then(
          () => undefined,
          (error: unknown) => error,
        );
      const described = (error: unknown) => (error instanceof FanslyError ? `${error.code}: ${error.message}` : `not a FanslyError: ${String(error)}`);
      expect(described(await run("wrong-key"))).toMatch(/^FANSLY_AUTH: FANSLY_API_KEY may not list its accounts/);
      expect(described(await run(KEY, ["fansly_nope"]))).toMatch(/^FANSLY_VALIDATION: fansly_nope is not an account of this key/);
    } finally {
      await fixture.close();
    }
  });
});

describe("which snapshots a report compares with", () => {
  test("previous is the newest; 7 and 30 days take the newest at least that old, less 6 hours of schedule jitter", () => {
    const history = [snapshotAt(DAY), snapshotAt(7 * DAY - 5 * 60 * 60 * 1000), snapshotAt(8 * DAY), snapshotAt(31 * DAY)];
    const baselines = chooseBaselines(history, NOW);
    expect(baselines.previous).toBe(history[0]);
    expect(baselines["7d"]).toBe(history[1]);
    expect(baselines["30d"]).toBe(history[3]);
  });

  test("without a snapshot old enough, that comparison is left out", () => {
    const baselines = chooseBaselines([snapshotAt(2 * DAY), snapshotAt(7 * DAY - 7 * 60 * 60 * 1000)], NOW);
    expect(Object.keys(baselines)).toEqual(["previous"]);
    expect(chooseBaselines([], NOW)).toEqual({});
  });
});

describe("what the table and HTML show at the edges", () => {
  const listing: AccountListing = {
    accountId: "fansly_x",
    links: [
      { id: "1", label: "No clicks yet", builtIn: false, counters: { clicks: 0n, claims: 0n, follows: 0n, subscriptions: 0n, gross: 0n, net: 0n } },
      { id: "2", label: "Clicks, no claims", builtIn: false, counters: { clicks: 5n, claims: 0n, follows: 0n, subscriptions: 0n, gross: 0n, net: 0n } },
    ],
  };

  test("a ratio without a denominator is –, not 0 or NaN", () => {
    const report = buildReport([listing], {}, [], NOW);
    expect(report.links.map((r) => r.ratios)).toEqual([
      { claimsPerClick: 0, subscriptionsPerClaim: null, netPerClick: 0 },
      { claimsPerClick: null, subscriptionsPerClaim: null, netPerClick: null },
    ]);
    const table = renderTable(report);
    expect(table).toMatch(/^No clicks yet +0 +0 +0 +0 +0 +0 +– +– +–$/m);
    expect(table).not.toContain("NaN");
    expect(renderHtml(report)).toContain('<td data-col="claimsPerClick" data-value="">–</td>');
  });

  test("a count of one reads in the singular: 1 click, 1 claim, 1 sub, 1 account", () => {
    const one = { id: "3", label: "One of each", builtIn: false, counters: { clicks: 1n, claims: 1n, follows: 1n, subscriptions: 1n, gross: 1n, net: 1n } };
    const html = renderHtml(buildReport([{ accountId: "fansly_x", links: [one] }], {}, [], NOW));
    expect(html).toContain("1 click → 1 claim → 1 sub · 1 follow<");
    expect(html).toContain("<title>1 claim</title>");
    expect(html).toContain("1 account · 1 link ·");
    expect(renderTable(buildReport([listing], {}, [], NOW))).toMatch(/^Tracking-link performance: 1 account,/);
  });

  test("a label is fitted to its width by display columns, keeping its start and its end", () => {
    expect(fitLabel("Reddit post about the launch #12", 16)).toBe("Reddit po…ch #12");
    expect(columns(fitLabel("🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉 launch", 12))).toBe(12);
    expect(fitLabel("Short", 8)).toBe("Short   ");
  });
});
