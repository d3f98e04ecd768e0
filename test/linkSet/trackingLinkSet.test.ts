/** TrackingLinkSet under setMocks: its children, their names and parents, its outputs, and its errors. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { mockPulumi, valueOf } from "../resource/pulumiMocks";
import { DYNAMIC_TRACKING_LINK_TYPE } from "../../src/plugin/tokens";

const registered = mockPulumi();

// Imported after setMocks, as Pulumi's testing guide says.
import { LinkSetFileError, TrackingLinkSet } from "../../src";

const ID = "845759434926862999";
/** Another link: one program run declares each link once (tests in this file share one run). */
const FILE_ID = "845759434926862998";

async function urnsByKey(set: TrackingLinkSet): Promise<Record<string, string>> {
  const entries = await Promise.all(Object.entries(set.links).map(async ([key, link]) => [key, await valueOf(link.urn)] as const));
  return Object.fromEntries(entries);
}

function childInputs(name: string): Record<string, unknown> | undefined {
  return registered.find((r) => r.type === DYNAMIC_TRACKING_LINK_TYPE && r.name === name)?.inputs;
}

let dir: string;
const cwd = process.cwd();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pulumi-fansly-set-"));
  process.chdir(dir);
});

afterAll(async () => {
  process.chdir(cwd);
  await rm(dir, { recursive: true, force: true });
});

describe("TrackingLinkSet from an object", () => {
  test("registers fansly:index:TrackingLinkSet with one TrackingLink per key, named <set>-<key>, parented to the set", async () => {
    const set = new TrackingLinkSet("web", { links: { "twitter-bio": { label: "Twitter bio", description: "pinned" }, reddit: { label: "Reddit" } } });
    const [setUrn, urns] = await Promise.all([valueOf(set.urn), urnsByKey(set)]);
    expect(setUrn).toBe("urn:pulumi:stack::project::fansly:index:TrackingLinkSet::web");
    expect(urns).toEqual({
      "twitter-bio": "urn:pulumi:stack::project::fansly:index:TrackingLinkSet$pulumi-nodejs:dynamic/fansly:TrackingLink::web-twitter-bio",
      reddit: "urn:pulumi:stack::project::fansly:index:TrackingLinkSet$pulumi-nodejs:dynamic/fansly:TrackingLink::web-reddit",
    });
    expect(childInputs("web-twitter-bio")).toMatchObject({ label: "Twitter bio", description: "pinned" });
  });

  test("trackingLinkIds are the children's ids by key; an adopted link keeps the id it was given", async () => {
    const set = new TrackingLinkSet("ids", { links: { made: { label: "Made" }, adopted: { label: "Adopted", trackingLinkId: ID } } });
    const ids = await Promise.all([valueOf(set.trackingLinkIds.made ?? pulumi.output("")), valueOf(set.trackingLinkIds.adopted ?? pulumi.output(""))]);
    expect(ids[0]).toMatch(/^\d{18}$/);
    expect(ids[1]).toBe(ID);
    expect(Object.keys(set.trackingLinkIds)).toEqual(["made", "adopted"]);
    expect(await valueOf(set.links.adopted?.adopted ?? pulumi.output(false))).toBe(true);
  });

  test("reordering the entries gives every key the same resource name and URN", async () => {
    const links = { a: { label: "A" }, b: { label: "B" }, c: { label: "C" } };
    const first = await urnsByKey(new TrackingLinkSet("order1", { links }));
    const reordered = await urnsByKey(new TrackingLinkSet("order1", { links: { c: links.c, a: links.a, b: links.b } }));
    expect(reordered).toEqual(first);
  });

  test("two sets in one stack with the same keys have distinct URNs", async () => {
    const creator = await urnsByKey(new TrackingLinkSet("creator-a", { links: { bio: { label: "Bio" } } }));
    const other = await urnsByKey(new TrackingLinkSet("creator-b", { links: { bio: { label: "Bio" } } }));
    expect(creator.bio).not.toBe(other.bio);
  });

  test("an entry's account wins over the set's; the set's is the default", async () => {
    const set = new TrackingLinkSet("accounts", {
      accountId: "fansly_set",
      links: { own: { label: "Own", accountId: "fansly_entry" }, inherited: { label: "Inherited" } },
    });
    await urnsByKey(set);
    expect(childInputs("accounts-own")?.accountId).toBe("fansly_entry");
    expect(childInputs("accounts-inherited")?.accountId).toBe("fansly_set");
  });
});

describe("TrackingLinkSet from a file", () => {
  test("a YAML file: children by key, the file's accountId over the set's, outputs by key", async () => {
    await writeFile(
      join(dir, "links.yaml"),
      ["accountId: fansly_file", "links:", "  bio:", "    label: Bio", "  old:", "    label: Old campaign", `    trackingLinkId: "${FILE_ID}"`, ""].join("\n"),
    );
    const set = new TrackingLinkSet("file", { file: "links.yaml", accountId: "fansly_set" });
    expect(await urnsByKey(set)).toEqual({
      bio: "urn:pulumi:stack::project::fansly:index:TrackingLinkSet$pulumi-nodejs:dynamic/fansly:TrackingLink::file-bio",
      old: "urn:pulumi:stack::project::fansly:index:TrackingLinkSet$pulumi-nodejs:dynamic/fansly:TrackingLink::file-old",
    });
    expect(await valueOf(set.trackingLinkIds.old ?? pulumi.output(""))).toBe(FILE_ID);
    expect(childInputs("file-bio")).toMatchObject({ label: "Bio", accountId: "fansly_file" });
    expect(childInputs("file-old")).toMatchObject({ label: "Old campaign", accountId: "fansly_file", trackingLinkId: FILE_ID });
  });

  test("a JSON file works the same", async () => {
    await writeFile(join(dir, "links.json"), JSON.stringify({ links: { bio: { label: "Bio" } } }, null, 2));
    expect(Object.keys(await urnsByKey(new TrackingLinkSet("json", { file: "links.json" })))).toEqual(["bio"]);
  });

  test("a bad file fails the program with the file, line, key and field, and registers nothing", async () => {
    await writeFile(join(dir, "bad.yaml"), "links:\n  bio:\n    label: Bio\n    colour: red\n");
    const before = registered.length;
    expect(() => new TrackingLinkSet("bad", { file: "bad.yaml" })).toThrow(LinkSetFileError);
    expect(() => new TrackingLinkSet("bad", { file: "bad.yaml" })).toThrow(
      'bad.yaml:4: link "bio": "colour" is not a link field (known: label, description, accountId, trackingLinkId): remove it or fix its spelling',
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(registered.length).toBe(before);
  });
});

describe("TrackingLinkSet arguments", () => {
  test("both file and links, or neither, is an error that says to pass exactly one", () => {
    expect(() => new TrackingLinkSet("both", { file: "links.yaml", links: {} })).toThrow(
      'TrackingLinkSet "both": pass exactly one of file (a YAML or JSON data file) and links (an object of key → { label, … }), not both',
    );
    expect(() => new TrackingLinkSet("neither", {})).toThrow(/pass exactly one of file .* not neither/);
  });

  test("a bad links object names the set, the key and the field", () => {
    expect(() => new TrackingLinkSet("web", { links: { bio: { label: "" } } })).toThrow(
      'TrackingLinkSet "web" links: link "bio": label must not be empty or only spaces: give the link a name',
    );
  });
});
