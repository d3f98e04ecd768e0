/**
 * The README's table of contents: a reader jumps from it, so every section must be listed and every entry must land
 * on a heading. Anchors follow GitHub's rule (lower case, punctuation dropped, each space a hyphen).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const README = readFileSync(join(__dirname, "..", "README.md"), "utf8");

/** The README's headings of `level` (2 = `##`), outside fenced code. */
function headings(level: number): string[] {
  let fenced = false;
  const found: string[] = [];
  for (const line of README.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    else if (!fenced && line.startsWith(`${"#".repeat(level)} `)) found.push(line.slice(level + 1).trim());
  }
  return found;
}

function anchorOf(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/ /g, "-");
}

const contents = README.slice(README.indexOf("## Contents"), README.indexOf("\n## ", README.indexOf("## Contents") + 1));
const listed = [...contents.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]);

describe("the README's contents", () => {
  it("lists every section", () => {
    const sections = headings(2).filter((heading) => heading !== "Contents").map(anchorOf);
    expect(sections.length).toBeGreaterThan(10);
    expect(sections.filter((anchor) => !listed.includes(anchor))).toEqual([]);
  });

  it("points only at headings that exist", () => {
    const anchors = new Set([...headings(2), ...headings(3)].map(anchorOf));
    expect(listed.filter((anchor) => anchor === undefined || !anchors.has(anchor))).toEqual([]);
  });
});
