/** The TrackingLinkSet data file: what it accepts, and errors that name the file, the line, the key and the field. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  checkLinks,
  lineOf,
  LinkSetFileError,
  parseLinkSetText,
  readLinkSetFile,
  serializeLinkSet,
  slugify,
  type LinkSetData,
} from "../../src/linkSet/file";
import { MAX_LABEL_LENGTH } from "../../src/provider/schemas";
import { FanslyError } from "../../src/client";

const ID = "845759434926862336";

/** The error a text raises, or a failure when it raises none. */
function errorOf(text: string, file = "links.yaml"): LinkSetFileError {
  try {
    parseLinkSetText(text, file);
  } catch (error) {
    if (error instanceof LinkSetFileError) return error;
    throw error;
  }
  throw new Error("expected a LinkSetFileError");
}

describe("parsing a valid file", () => {
  test("YAML: a default account and links by key, in file order, ids kept exact as strings", () => {
    const text = [
      "# our links",
      "accountId: fansly_main",
      "links:",
      "  twitter-bio:",
      "    label: Twitter bio",
      "    description: pinned profile link",
      "  reddit:",
      "    label: \"Reddit post #3\"",
      `    trackingLinkId: "${ID}"`,
      "  second:",
      "    label: '2024-01-01'",
      "    accountId: fansly_other",
      "",
    ].join("\n");
    const { data, format } = parseLinkSetText(text, "links.yaml");
    expect(format).toBe("yaml");
    expect(data).toEqual({
      accountId: "fansly_main",
      links: {
        "twitter-bio": { label: "Twitter bio", description: "pinned profile link" },
        reddit: { label: "Reddit post #3", trackingLinkId: ID },
        second: { label: "2024-01-01", accountId: "fansly_other" },
      },
    });
    expect(Object.keys(data.links)).toEqual(["twitter-bio", "reddit", "second"]);
  });

  test("JSON: the same shape, read as JSON by its extension", () => {
    const text = JSON.stringify({ links: { bio: { label: "Bio", trackingLinkId: ID } } }, null, "\t");
    const parsed = parseLinkSetText(text, "links.json");
    expect(parsed.format).toBe("json");
    expect(parsed.data).toEqual({ links: { bio: { label: "Bio", trackingLinkId: ID } } });
  });

  test("an empty links mapping is a set of no links (removing the last entry deletes the last link)", () => {
    expect(parseLinkSetText("links: {}\n", "links.yaml").data).toEqual({ links: {} });
  });

  test("serializing and parsing again gives the same data, with the id quoted in YAML", () => {
    const data: LinkSetData = {
      accountId: "fansly_main",
      links: { yes: { label: "yes" }, n: { label: "123", description: "multi\nline: x #c" }, bio: { label: "Bio", trackingLinkId: ID } },
    };
    const yamlText = serializeLinkSet(data, "yaml", ["a header"]);
    expect(yamlText.startsWith("# a header\n")).toBe(true);
    expect(yamlText).toContain(`trackingLinkId: "${ID}"`);
    expect(parseLinkSetText(yamlText, "links.yaml").data).toEqual(data);
    expect(parseLinkSetText(serializeLinkSet(data, "json"), "links.json").data).toEqual(data);
  });
});

describe("errors in a file", () => {
  test("a YAML syntax error names the file and the line js-yaml marks", () => {
    const error = errorOf("links:\n  bio:\n    label: Bio\n  bio:\n    label: Again\n");
    expect(error.message).toBe("links.yaml:4: duplicated mapping key: fix the syntax there (check indentation, quotes and, in JSON, commas)");
    expect(error.problems).toEqual([expect.objectContaining({ line: 4 })]);
    // One error tree: a program or command that catches FanslyError catches a bad link-set file too.
    expect(error).toBeInstanceOf(FanslyError);
    expect(error.code).toBe("FANSLY_VALIDATION");
  });

  test("a JSON syntax error names the line too", () => {
    expect(errorOf('{\n  "links": {\n    "a": { "label": "A" },,\n  }\n}\n', "links.json").message).toMatch(/^links\.json:3: /);
  });

  test("a bad field in a valid document: the file, the line, the key, the field and the fix", () => {
    const text = ["links:", "  twitter-bio:", "    label: Twitter bio", "  reddit:", "    description: first", `    label: "${"x".repeat(MAX_LABEL_LENGTH + 1)}"`, ""].join("\n");
    const error = errorOf(text);
    expect(error.message).toBe(`links.yaml:6: link "reddit": label must be at most ${MAX_LABEL_LENGTH} characters: shorten it`);
    expect(error.problems).toEqual([{ line: 6, key: "reddit", field: "label", message: `must be at most ${MAX_LABEL_LENGTH} characters: shorten it` }]);
  });

  test("a label holding a tab or only zero-width spaces is refused with the character, the line and the key", () => {
    const text = ["links:", "  bio:", '    label: "Bio\\tpage"', "  blank:", '    label: "\\u200B\\u200B"', ""].join("\n");
    expect(errorOf(text).problems).toEqual([
      { line: 3, key: "bio", field: "label", message: expect.stringMatching(/^holds U\+0009 \(tab\) at character 4/) as unknown },
      { line: 5, key: "blank", field: "label", message: expect.stringMatching(/^holds only invisible characters \(U\+200B/) as unknown },
    ]);
  });

  test("every problem is listed, in line order: an empty label, a misspelt field, an unquoted id, a bad key, a bare value", () => {
    const text = [
      "accountId: fansly_main",
      "links:",
      "  twitter-bio:",
      '    label: ""',
      "    descripton: pinned",
      "  reddit:",
      "    label: Reddit",
      `    trackingLinkId: ${ID}`,
      '  "Instagram Story":',
      "    label: Story",
      "  bare: 5",
      "",
    ].join("\n");
    const lines = errorOf(text).message.split("\n");
    expect(lines[0]).toBe("links.yaml has 5 problems:");
    expect(lines.slice(1).map((line) => line.trim())).toEqual([
      'links.yaml:4: link "twitter-bio": label must not be empty or only spaces: give the link a name',
      'links.yaml:5: link "twitter-bio": "descripton" is not a link field (known: label, description, accountId, trackingLinkId): remove it or fix its spelling',
      'links.yaml:8: link "reddit": trackingLinkId must be in quotes, e.g. trackingLinkId: "845759434926862336": unquoted, YAML reads the id as a number and rounds it',
      'links.yaml:9: link "Instagram Story": key must use only letters, digits, ".", "_" and "-", starting with a letter or digit (it names the Pulumi resource): e.g. "instagram-story"',
      'links.yaml:11: link "bare": must be a mapping of fields (label, description, …), not a single value',
    ]);
  });

  test("a missing label points at the entry's line", () => {
    expect(errorOf("links:\n  a:\n    label: A\n  b:\n    description: no label\n").message).toBe(
      'links.yaml:4: link "b": label is missing: every link needs a label, e.g. label: Twitter bio',
    );
  });

  test("entries at the top level instead of under links: say where they belong", () => {
    const error = errorOf("twitter-bio:\n  label: Twitter bio\n");
    expect(error.message).toContain('links.yaml:1: "twitter-bio" is not a top-level field (known: accountId, links): put each link under links:, indented');
    expect(error.message).toContain("links is missing: put the links under a top-level links: field");
  });

  test("a bad default account names its line and where to find the right id", () => {
    expect(errorOf("# header\naccountId: not an id\nlinks: {}\n").message).toBe(
      "links.yaml:2: accountId must be apifansly's account id (letters, digits, _ or -, like fansly_…); the apifansly dashboard lists yours",
    );
  });

  test("an empty file says what to write", () => {
    expect(errorOf("# nothing yet\n").message).toBe("links.yaml:1: is empty: write links: with one entry per link (links: {} for none)");
  });

  test("a file that cannot be read names the path, the error code and the folder it was resolved from", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pulumi-fansly-linkset-"));
    try {
      expect(() => readLinkSetFile("missing.yaml", dir)).toThrow(`missing.yaml: cannot be read (ENOENT): check the path; a relative one is resolved from ${dir}`);
      await writeFile(join(dir, "links.yaml"), "links:\n  a:\n    label: A\n");
      expect(readLinkSetFile("links.yaml", dir).data).toEqual({ links: { a: { label: "A" } } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("links passed as an object", () => {
  test("are checked with the same rules, named by the set, without lines", () => {
    expect(() => checkLinks({ "x y": { label: "X" }, ok: { label: 3 } }, 'TrackingLinkSet "web" links')).toThrow(
      [
        'TrackingLinkSet "web" links has 2 problems:',
        '  TrackingLinkSet "web" links: link "ok": label must be text: in YAML, put it in quotes if it looks like a number or true/false',
        '  TrackingLinkSet "web" links: link "x y": key must use only letters, digits, ".", "_" and "-", starting with a letter or digit (it names the Pulumi resource): e.g. "x-y"',
      ].join("\n"),
    );
  });

  test("a valid object comes back without undefined fields", () => {
    expect(checkLinks({ a: { label: "A", description: undefined } }, "x")).toEqual({ a: { label: "A" } });
  });
});

describe("one link, one owner", () => {
  test("the same trackingLinkId under a second key is refused, naming both keys, their lines and the id", () => {
    const text = [
      "links:",
      "  reddit:",
      "    label: Reddit",
      `    trackingLinkId: "${ID}"`,
      "  twitter:",
      "    label: Twitter",
      "  reddit-copy:",
      "    label: Reddit copy",
      `    trackingLinkId: "${ID}"`,
      "",
    ].join("\n");
    expect(errorOf(text).message).toBe(
      `links.yaml:9: trackingLinkId ${ID} is declared by both link "reddit" (line 4) and link "reddit-copy" (line 9): a link has one owner in a stack. ` +
        "Keep one of them (removing the other deletes nothing while the kept one holds the link), or give the other its own link",
    );
  });

  test("in a links object too, without lines", () => {
    expect(() => checkLinks({ a: { label: "A", trackingLinkId: ID }, b: { label: "B", trackingLinkId: ID } }, 'TrackingLinkSet "web" links')).toThrow(
      `TrackingLinkSet "web" links: trackingLinkId ${ID} is declared by both link "a" and link "b"`,
    );
  });
});

describe("finding lines", () => {
  test("block YAML: quoted keys, comments and block scalars do not confuse the scan", () => {
    const text = [
      "links:",
      "  a:",
      "    description: |",
      "      label: not a field, text",
      "    label: A",
      '  "b":',
      "    # a comment",
      "    label: B",
      "",
    ].join("\n");
    expect(lineOf(text, ["links", "a", "label"])).toBe(5);
    expect(lineOf(text, ["links", "b", "label"])).toBe(8);
    expect(lineOf(text, ["links", "c"])).toBe(1);
  });

  test("flow style: the nearest enclosing key's line", () => {
    expect(lineOf("links:\n  a: { label: A, description: x }\n", ["links", "a", "description"])).toBe(2);
  });
});

describe("slugs", () => {
  test.each([
    ["Twitter bio", "twitter-bio"],
    ["Reddit post #3", "reddit-post-3"],
    ["  Café – Instagram Story!! ", "cafe-instagram-story"],
    ["🎉🎉", "link"],
  ])("%j → %j", (label, slug) => {
    expect(slugify(label)).toBe(slug);
  });

  test("a long label gives a key of at most 48 characters that does not end in a dash", () => {
    const slug = slugify(`${"a".repeat(47)} b`);
    expect(slug.length).toBeLessThanOrEqual(48);
    expect(slug.endsWith("-")).toBe(false);
  });
});
