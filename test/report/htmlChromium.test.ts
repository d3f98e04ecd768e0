/**
 * The HTML report in a real browser: Debian's headless Chromium loads the file, and the DOM it rendered has one bar
 * group per link shown (top 20 by net, plus one for the rest) and one trend line per account. Screenshots, desktop
 * and phone, are kept in .ci/cache/results/report-html/ (git-ignored; CI keeps .ci/cache/results).
 *
 * Chromium comes from `bash .ci/install-chromium.sh` (`.ci/run` calls it). Under CI=true a missing Chromium fails
 * these tests; elsewhere they are skipped with a message saying how to install it.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { ALPHA, BETA, startFixture, type Fixture } from "./fixture";

const ARTIFACTS = resolve(__dirname, "..", "..", ".ci", "cache", "results", "report-html");
const CHROMIUM_TIMEOUT_MS = 90_000;
/** Flags that keep Chromium off the network and out of the user's profile (the report must need neither). */
const ISOLATED = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"];

function findChromium(): string | undefined {
  const named = process.env.PULUMI_FANSLY_CHROMIUM;
  if (named !== undefined && named !== "") return named;
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      const found = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
      if (found !== "") return found;
    } catch {
      // not on PATH: try the next name
    }
  }
  return undefined;
}

const chromium = findChromium();
const inCi = process.env.CI === "true";
if (chromium === undefined && !inCi) {
  console.warn("Chromium not found: skipping the HTML report's browser tests. Install it with `bash .ci/install-chromium.sh` (Debian's chromium package), or set PULUMI_FANSLY_CHROMIUM.");
}
const describeInBrowser = chromium !== undefined || inCi ? describe : describe.skip;

/** Runs Chromium once, in a fresh profile that is removed afterwards; returns what it printed. */
async function runChromium(args: string[]): Promise<string> {
  if (chromium === undefined) throw new Error("Chromium is not installed and CI=true: run `bash .ci/install-chromium.sh` (apt-get install chromium)");
  const profile = await mkdtemp(join(tmpdir(), "pulumi-fansly-chromium-"));
  try {
    const { stdout } = await promisify(execFile)(chromium, [...ISOLATED, `--user-data-dir=${profile}`, ...args], { timeout: CHROMIUM_TIMEOUT_MS, maxBuffer: 32 * 1024 * 1024 });
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** A PNG's width and height, from its IHDR chunk. */
async function pngSize(path: string): Promise<{ width: number; height: number }> {
  const bytes = await readFile(path);
  expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describeInBrowser("the HTML report in headless Chromium", () => {
  let fixture: Fixture;
  let htmlPath: string;
  let dom: string;

  beforeAll(async () => {
    fixture = await startFixture();
    // Two runs with traffic between them, so the trend has two points per account.
    expect((await fixture.run(["--save", "snapshots", "--out", "first.html"])).code).toBe(0);
    fixture.traffic.tick(40);
    const { code, stderr } = await fixture.run(["--save", "snapshots", "--out", "report.html"]);
    expect({ code, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, stderr: "" });
    htmlPath = join(fixture.dir, "report.html");
    await mkdir(ARTIFACTS, { recursive: true });
    await copyFile(htmlPath, join(ARTIFACTS, "report.html"));
    dom = await runChromium(["--dump-dom", pathToFileURL(htmlPath).href]);
  }, CHROMIUM_TIMEOUT_MS * 2);

  afterAll(async () => {
    await fixture.close();
  });

  test("the rendered chart has one bar group per link shown: the top 20 by net, then one for the other 10", () => {
    const groups = [...dom.matchAll(/<g data-link-group="" data-link-id="(\d+)"/g)].map((m) => m[1]);
    const links = [...fixture.emulator.store.customLinks(ALPHA), ...fixture.emulator.store.customLinks(BETA)];
    const byNet = [...links].sort((a, b) => b.totalNet - a.totalNet || b.subscriptions - a.subscriptions);
    expect(links).toHaveLength(30);
    expect(groups).toHaveLength(20);
    expect(groups.map((id) => links.find((link) => link.id === id)?.totalNet)).toEqual(byNet.slice(0, 20).map((link) => link.totalNet));
    expect(dom.match(/<g data-rest-group="" data-count="10">/g)).toHaveLength(1);
  });

  test("each group draws its funnel: a clicks bar, a claims bar within it, a subscriptions bar within that", () => {
    const groups = [...dom.matchAll(/<g data-link-group=""[^>]*>(.*?)<\/g>/g)].map((m) => m[1] ?? "");
    expect(groups.length).toBe(20);
    for (const group of groups) {
      const width = (metric: string): number => Number(new RegExp(`data-metric="${metric}"[^>]*width="([\\d.]+)"`).exec(group)?.[1]);
      expect(width("clicks")).toBeGreaterThan(0);
      expect(width("claims")).toBeLessThanOrEqual(width("clicks"));
      expect(width("subscriptions")).toBeLessThanOrEqual(width("claims"));
    }
  });

  test("the trend has one line per account, with a point per snapshot", () => {
    const lines = [...dom.matchAll(/<g data-trend-account="([^"]+)" data-points="(\d+)">/g)].map((m) => [m[1], m[2]]);
    expect(lines.sort()).toEqual([
      [ALPHA, "2"],
      [BETA, "2"],
    ]);
  });

  test("screenshots, desktop and phone, are taken and kept as artifacts", async () => {
    const shots = [
      { name: "report-desktop.png", size: "1280,2400" },
      { name: "report-phone.png", size: "390,3200" },
    ];
    for (const shot of shots) {
      const path = join(ARTIFACTS, shot.name);
      await rm(path, { force: true });
      await runChromium([`--screenshot=${path}`, `--window-size=${shot.size}`, pathToFileURL(htmlPath).href]);
      expect(existsSync(path)).toBe(true);
      const [width, height] = shot.size.split(",").map(Number);
      expect(await pngSize(path)).toEqual({ width, height });
    }
  }, CHROMIUM_TIMEOUT_MS * 2);
});

describe("the HTML report is one self-contained file", () => {
  test("it loads nothing: no script, stylesheet, image, font or link to another origin; it has a phone viewport", async () => {
    const fixture = await startFixture();
    try {
      expect((await fixture.run(["--out", "report.html"])).code).toBe(0);
      const html = await readFile(join(fixture.dir, "report.html"), "utf8");
      expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|\bsrc=|\bhref=|https?:\/\//i);
      expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(html).toMatch(/<svg class="chart"[^>]*viewBox="0 0 400 \d+" width="100%"/);
    } finally {
      await fixture.close();
    }
  });
});
