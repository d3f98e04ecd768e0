/** Line-by-line edits of a YAML data file: what a person wrote stays byte for byte; only our lines change. */
import { editYamlLinkSet, GONE_MARKER_PREFIX, type YamlLinkSetEdit } from "../../src/cli/linkSetEdit";
import { parseLinkSetText } from "../../src/linkSet/file";

const NOTHING: YamlLinkSetEdit = { add: {}, mark: new Map(), unmark: [], remove: [] };
const ID = "845759434926862336";

describe("editing a YAML data file in place", () => {
  test("new entries are appended under links:, before the next top-level key, in the file's own indentation", () => {
    const text = ["links:", "    bio:", "        label: Bio   # the pinned one", "", "# trailing note", "accountId: fansly_a", ""].join("\n");
    const edited = editYamlLinkSet(text, { ...NOTHING, add: { promo: { label: "Promo", trackingLinkId: ID } } });
    expect(edited).toBe(
      ["links:", "    bio:", "        label: Bio   # the pinned one", "    promo:", "        label: Promo", `        trackingLinkId: "${ID}"`, "", "# trailing note", "accountId: fansly_a", ""].join(
        "\n",
      ),
    );
  });

  test("links: {} becomes a block, keeping its comment", () => {
    const edited = editYamlLinkSet("links: {}  # none yet\n", { ...NOTHING, add: { a: { label: "A" } } });
    expect(edited).toBe("links: # none yet\n  a:\n    label: A\n");
    expect(parseLinkSetText(edited ?? "", "links.yaml").data).toEqual({ links: { a: { label: "A" } } });
  });

  test("Windows line endings are kept", () => {
    expect(editYamlLinkSet("links:\r\n  a:\r\n    label: A\r\n", { ...NOTHING, add: { b: { label: "B" } } })).toBe(
      "links:\r\n  a:\r\n    label: A\r\n  b:\r\n    label: B\r\n",
    );
  });

  test("a marker goes above a gone entry once, is updated in place, removed when the entry is back, and goes with a pruned entry", () => {
    const text = "links:\n  a:\n    label: A\n  b:\n    label: B\n";
    const marked = editYamlLinkSet(text, { ...NOTHING, mark: new Map([["b", "gone"]]) }) ?? "";
    expect(marked).toBe(`links:\n  a:\n    label: A\n  ${GONE_MARKER_PREFIX} gone\n  b:\n    label: B\n`);
    expect(editYamlLinkSet(marked, { ...NOTHING, mark: new Map([["b", "gone"]]) })).toBe(marked);
    expect(editYamlLinkSet(marked, { ...NOTHING, mark: new Map([["b", "still gone"]]) })).toContain(`  ${GONE_MARKER_PREFIX} still gone\n  b:`);
    expect(editYamlLinkSet(marked, { ...NOTHING, unmark: ["b"] })).toBe(text);
    expect(editYamlLinkSet(marked, { ...NOTHING, remove: ["b"] })).toBe("links:\n  a:\n    label: A\n");
  });

  test("flow style and JSON are not edited line by line (the caller rewrites them)", () => {
    expect(editYamlLinkSet("links: { a: { label: A } }\n", NOTHING)).toBeUndefined();
    expect(editYamlLinkSet('{\n  "links": {}\n}\n', NOTHING)).toBeUndefined();
  });
});
