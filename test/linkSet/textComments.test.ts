/** Text a YAML comment cut short (`label: Snap #2` reads as "Snap") is refused with its line and the quoting fix. */
import { LinkSetFileError, parseLinkSetText, serializeLinkSet } from "../../src/linkSet/file";

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

describe("a comment inside unquoted text", () => {
  test("an unquoted label with ` #2` is refused at its line, naming what YAML read and the quoted form", () => {
    const error = errorOf(["links:", "  twitter-bio:", "    label: Twitter bio", "  snap:", "    label: Snap #2", ""].join("\n"));
    expect(error.message).toBe(
      'links.yaml:5: link "snap": label is read as "Snap": YAML takes " #" and the rest of the line as a comment; ' +
        'put the whole value in quotes (label: "Snap #2"), or, for a comment, put a space after the #',
    );
    expect(error.problems).toEqual([{ line: 5, key: "snap", field: "label", message: expect.any(String) as unknown }]);
  });

  test("a description and the file's accountId are checked as well, every problem with its line", () => {
    const text = [
      "accountId: fansly_abc #main",
      "links:",
      "  reddit:",
      "    label: Reddit",
      "    description: Reddit post #3 of the week",
      "",
    ].join("\n");
    const error = errorOf(text);
    expect(error.problems.map((p) => `${p.line}:${p.key ?? "-"}:${p.field}`)).toEqual(["1:-:accountId", "5:reddit:description"]);
    expect(error.message).toContain('description: "Reddit post #3 of the week"');
  });

  test("a comment with a space after its #, a quoted #, and a # inside a word are what they say; only `#2` is refused (and the generator's files pass)", () => {
    const text = [
      "links:",
      "  bio:",
      "    label: Twitter bio  # main account",
      "  reddit:",
      '    label: "Reddit post #3"   # quoted',
      "  lang:",
      "    label: C# and F#",
      "  bare:",
      "    label: Bare #",
      "  snap:",
      "    label: Snap #2",
      "",
    ].join("\n");
    const error = errorOf(text);
    expect(error.problems.map((p) => `${p.line}:${p.key ?? "-"}`)).toEqual(["11:snap"]);
    const accepted = parseLinkSetText(text.replace("Snap #2", '"Snap #2"'), "links.yaml").data.links;
    expect(Object.values(accepted).map((link) => link.label)).toEqual(["Twitter bio", "Reddit post #3", "C# and F#", "Bare", "Snap #2"]);
    // What the import generator writes quotes such text, so it reads back unchanged.
    const written = { links: { snap: { label: "Snap #2" }, bio: { label: "Twitter bio", description: "see #1 first" } } };
    expect(parseLinkSetText(serializeLinkSet(written, "yaml"), "links.yaml").data).toEqual(written);
  });
});
