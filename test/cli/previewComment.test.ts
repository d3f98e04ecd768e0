/**
 * `pulumi preview --diff 2>&1 | pulumi-fansly preview-comment`: what a reviewer reads in the pull request.
 * The fixtures are real output of the Pulumi CLI v3.248.0 against the emulator (test/cli/fixtures/README.md).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli/main";
import { runCaptured, type CliRun } from "./capturedIo";
import { GITHUB_COMMENT_MAX_CHARS, commentMarker, renderPreviewComment } from "../../src/cli/previewComment";

const fixture = (name: string): string => readFileSync(join(__dirname, "fixtures", `preview-${name}.txt`), "utf8");

type Ran = CliRun;

function previewComment(stdin: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return runCaptured(runCli, ["preview-comment", ...args], { env, stdin });
}

/** The text inside the comment's <details> code block. */
function foldedOutput(comment: string): string {
  const match = /<details><summary>[^\n]*<\/summary>\n\n(`{3,})\n([\s\S]*?)\n\1\n\n<\/details>/.exec(comment);
  if (match?.[2] === undefined) throw new Error(`no folded output in:\n${comment.slice(0, 500)}`);
  return match[2];
}

/** True when every UTF-16 surrogate is half of a pair: the text survives UTF-8 unchanged. */
function isWellFormed(text: string): boolean {
  return new TextDecoder().decode(new TextEncoder().encode(text)) === text;
}

/** A `pulumi preview --diff` of `count` label updates, each block padded to about `blockChars` characters. */
function bigDiffPreview(count: number, blockChars: number, labelOf: (i: number) => string = (i) => `Promo link ${i}`): string {
  const blocks: string[] = [];
  for (let i = 0; i < count; i++) {
    const lines = [
      `    ~ pulumi-nodejs:dynamic/fansly:TrackingLink: (update)`,
      `        [id=8457594349${String(i).padStart(8, "0")}]`,
      `        [urn=urn:pulumi:prod::fansly-links::fansly:index:TrackingLinkSet$pulumi-nodejs:dynamic/fansly:TrackingLink::link-${i}]`,
      `        accountId  : "fansly_agency"`,
      `      ~ label      : "${labelOf(i)}" => "${labelOf(i)} (v2)"`,
    ];
    let block = lines.join("\n");
    while (block.length < blockChars) block += `\n        description: "${"campaign notes ".repeat(4)}"`;
    blocks.push(block);
  }
  return [
    "Previewing update (prod):",
    "  pulumi:pulumi:Stack: (same)",
    "    [urn=urn:pulumi:prod::fansly-links::pulumi:pulumi:Stack::fansly-links-prod]",
    ...blocks,
    "Resources:",
    `    ~ ${count} to update`,
    `    ${count + 2} unchanged`,
    "",
  ].join("\n");
}

describe("a short preview", () => {
  test("the comment has the counts, every changed resource and the whole output folded in <details>", async () => {
    const preview = fixture("mixed");
    const { code, stdout } = await previewComment(preview, ["--stack", "dev"]);

    expect(code).toBe(0);
    expect(stdout).toContain("6 changes");
    for (const count of ["2 to create", "2 to update", "1 to delete", "1 to replace", "2 unchanged"]) expect(stdout).toContain(count);
    expect(stdout).toMatch(/\| ✏️ update \| `reddit` \| `fansly:TrackingLink` \| `label` \|/);
    expect(stdout).toMatch(/\| ✏️ update \| `bio` \| `fansly:TrackingLink` \| `label` \|/);
    expect(stdout).toMatch(/\| 🔁 replace \| `tiktok` \| `fansly:TrackingLink` \| `accountId` \|/);
    expect(stdout).toMatch(/\| ➕ create \| `new1` \|/);
    expect(stdout).toMatch(/\| ➕ create \| `new2` \|/);
    expect(stdout).toMatch(/\| ➖ delete \| `old` \|/);
    expect(foldedOutput(stdout)).toBe(preview.trimEnd());
    expect(stdout).not.toMatch(/summarised/i);
  });

  test("deletions and replacements are listed first, where a reviewer looks", async () => {
    const { stdout } = await previewComment(fixture("mixed"));
    const order = ["old", "tiktok", "reddit", "new1"].map((name) => stdout.indexOf(`| \`${name}\` |`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  test("plain `pulumi preview` rows (`~ … reddit update [diff: ~label]`) give the same list, a replacement once", async () => {
    const { stdout } = await previewComment(fixture("plain"));

    expect(stdout).toContain("6 changes");
    expect(stdout).toMatch(/\| ✏️ update \| `reddit` \| `fansly:TrackingLink` \| `label` \|/);
    expect(stdout.match(/\| `tiktok` \|/g)).toHaveLength(1);
    expect(stdout).toMatch(/\| 🔁 replace \| `tiktok` \| `fansly:TrackingLink` \| `accountId` \|/);
  });

  test("colour codes from a preview run without --color never do not reach the comment", async () => {
    const coloured = "Previewing update (dev):\n\u001b[1m\u001b[38;5;3m~ \u001b[0mpulumi-nodejs:dynamic/fansly:TrackingLink reddit update [diff: ~label]\nResources:\n    ~ 1 to update\n";
    const { stdout } = await previewComment(coloured);

    expect(stdout).not.toContain("\u001b");
    expect(stdout).toMatch(/\| ✏️ update \| `reddit` \|/);
  });
});

describe("a preview too long for one comment", () => {
  const runUrl = "https://github.com/agency/links/actions/runs/42";

  test("a 200 kB preview gives a comment within 65,536 characters that keeps the counts and every changed resource", async () => {
    const preview = bigDiffPreview(400, 500);
    expect(preview.length).toBeGreaterThan(200_000);

    const { stdout } = await previewComment(preview, ["--run-url", runUrl]);

    expect(stdout.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS);
    expect(GITHUB_COMMENT_MAX_CHARS).toBe(65_536);
    expect(stdout).toContain("400 changes");
    expect(stdout).toContain("400 to update");
    for (let i = 0; i < 400; i++) expect(stdout).toContain(`| \`link-${i}\` |`);
    expect(stdout).toMatch(/Summarised/);
    expect(stdout).toContain("does not fit in one comment");
    expect(stdout).toContain(`[the run log](${runUrl})`);
    // What is shown of the output is its first lines, whole.
    const shown = foldedOutput(stdout);
    expect(preview.startsWith(`${shown}\n`)).toBe(true);
    expect(shown.length).toBeGreaterThan(10_000);
    expect(stdout).toMatch(/The first [\d,]+ of [\d,]+ lines/);
  });

  test("more changed resources than fit: the list ends with how many more, and the counts stay exact", async () => {
    const preview = bigDiffPreview(3_000, 0);
    const { stdout } = await previewComment(preview);

    expect(stdout.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS);
    expect(stdout).toContain("3,000 changes");
    expect(stdout).toContain("3000 to update");
    const listed = stdout.match(/\| `link-\d+` \|/g) ?? [];
    expect(listed.length).toBeGreaterThan(100);
    expect(stdout).toContain(`and ${(3_000 - listed.length).toLocaleString("en-US")} more resources`);
    expect(stdout).toContain(`The list shows ${listed.length} of 3000 changed resources`);
  });

  test("the cut never splits a character: multi-byte labels at every cut point come out whole", () => {
    const preview = bigDiffPreview(300, 400, (i) => "日本語🎉👨‍👩‍👧é".repeat((i % 7) + 1));
    const lines = new Set(preview.split("\n"));
    // Move the cut across a few hundred positions so it lands inside every kind of character.
    for (let maxChars = 20_000; maxChars < 20_300; maxChars++) {
      const comment = renderPreviewComment(preview, { maxChars });
      expect(comment.length).toBeLessThanOrEqual(maxChars);
      expect(isWellFormed(comment)).toBe(true);
      for (const line of foldedOutput(comment).split("\n")) expect(lines.has(line)).toBe(true);
    }
  });

  test("one line longer than the room is cut between characters, not inside an emoji", () => {
    const family = "👨‍👩‍👧"; // one grapheme, eight UTF-16 code units
    const preview = `error: ${family.repeat(20_000)}\n`;

    const comment = renderPreviewComment(preview, { maxChars: 10_000 });

    expect(comment.length).toBeLessThanOrEqual(10_000);
    expect(isWellFormed(comment)).toBe(true);
    const shown = foldedOutput(comment);
    expect(preview.startsWith(shown)).toBe(true);
    expect((shown.length - "error: ".length) % family.length).toBe(0);
    expect(comment).toContain("The start of the first line");
  });
});

describe("the cost line", () => {
  /** The mixed fixture with the provider's estimate as the CLI prints it: on the stack's row, and under Diagnostics. */
  function withDiagnostics(...lines: string[]): string {
    const preview = fixture("mixed");
    const at = preview.indexOf("Resources:");
    const onRow = ` +  pulumi:pulumi:Stack fansly-e2e-dev create ${lines[0] ?? ""}\n`;
    const block = `Diagnostics:\n  pulumi:pulumi:Stack (fansly-e2e-dev):\n${lines.map((line) => `    ${line}\n`).join("")}\n`;
    return `${preview.slice(0, at)}${onRow}${block}${preview.slice(at)}`;
  }
  const ESTIMATE = "fansly estimate: 6 requests = 6 credits, no wait at 600/min (2 POST, 1 PUT, 2 DELETE, 1 listing); this preview itself sent 1";

  test("the comment carries the preview's estimate once, as inert code", async () => {
    const { code, stdout } = await previewComment(withDiagnostics(ESTIMATE), ["--stack", "dev"]);
    expect(code).toBe(0);
    expect(stdout).toContain(`**Cost**: \`${ESTIMATE}\``);
    expect(stdout.split(ESTIMATE)).toHaveLength(4); // the Cost line, and the output's row and diagnostic, folded
  });

  test("a line that only looks like one (another shape, markup, a control character) is not carried", async () => {
    const forged = [
      "fansly estimate: 0 requests = 0 credits <img src=x onerror=alert(1)>",
      "fansly estimate: 1 request = 1 credit, no wait at 600/min (1 POST)\u001b]0;owned\u0007",
    ];
    const { stdout } = await previewComment(withDiagnostics(ESTIMATE, ...forged));
    const cost = stdout.split("\n").find((line) => line.startsWith("**Cost**"));
    expect(cost).toBe(`**Cost**: \`${ESTIMATE}\``);
  });
});

describe("the marker that lets the pipeline update the comment in place", () => {
  test("the first line is a hidden marker naming the stack, the same whatever the preview says", async () => {
    const first = await previewComment(fixture("mixed"), ["--stack", "prod"]);
    const rerun = await previewComment(fixture("none"), ["--stack", "prod"]);

    const marker = first.stdout.split("\n")[0];
    expect(marker).toBe("<!-- pulumi-fansly:preview-comment stack=prod -->");
    expect(rerun.stdout.split("\n")[0]).toBe(marker);
    expect(commentMarker("staging")).not.toBe(marker);
  });

  test("without --stack the marker names the stack the output names", async () => {
    const { stdout } = await previewComment(fixture("mixed"));
    expect(stdout.startsWith("<!-- pulumi-fansly:preview-comment stack=dev -->\n")).toBe(true);
  });

  test("a stack name cannot end the HTML comment early", () => {
    expect(commentMarker("a-->b <script>")).toBe("<!-- pulumi-fansly:preview-comment stack=a--_b__script_ -->");
  });
});

describe("no changes", () => {
  test("a preview with nothing to do says so plainly", async () => {
    const { stdout } = await previewComment(fixture("none"));

    expect(stdout).toMatch(/^### ✅ Pulumi preview · `dev`: no changes$/m);
    expect(stdout).toContain("6 resources unchanged");
    expect(stdout).not.toContain("Changed resources");
  });

});

describe("no preview to read: never 'no changes'", () => {
  test("empty input: the comment says there was no preview, and the command exits 1", async () => {
    const { code, stdout, stderr } = await previewComment("", ["--stack", "prod"]);

    expect(code).toBe(1);
    expect(stdout).toMatch(/^### ❓ Pulumi preview · `prod`: no preview to read$/m);
    expect(stdout).toContain("The input was empty: the preview may not have run");
    expect(stdout).not.toContain("no changes");
    expect(stdout).not.toContain("✅");
    expect(stdout).not.toContain("<details>");
    expect(stderr).toContain("empty or not `pulumi preview` output");
  });

  test("text that is not Pulumi's output ('hello world'), even with --exit-code 0: not 'no changes', exit 1", async () => {
    const { code, stdout } = await previewComment("hello world\n", ["--stack", "prod", "--exit-code", "0"]);

    expect(code).toBe(1);
    expect(stdout).toMatch(/^### ❓ Pulumi preview · `prod`: no preview to read$/m);
    expect(stdout).toContain("it begins `hello world`");
    expect(stdout).not.toContain("✅");
    expect(stdout).not.toContain("no changes");
  });

  test("a preview with nothing to do still exits 0", async () => {
    const { code } = await previewComment(fixture("none"), ["--exit-code", "0"]);
    expect(code).toBe(0);
  });
});

describe("failures and drift", () => {
  test("a failed preview says it failed, with its first error in the headline and above the fold; exit 1", async () => {
    const { code, stdout, stderr } = await previewComment(fixture("error"), ["--exit-code", "1"]);

    expect(code).toBe(1);
    expect(stdout).toMatch(/^### ❌ Pulumi preview · `dev`: failed: `pulumi-nodejs:dynamic\/fansly:TrackingLink resource 'bio': property label value \{\} has a problem: must not be empty/m);
    const beforeFold = stdout.slice(0, stdout.indexOf("<details>"));
    expect(beforeFold).toContain("resource 'bio': property label value {} has a problem: must not be empty");
    expect(stderr).toContain("the preview failed: pulumi-nodejs:dynamic/fansly:TrackingLink resource 'bio'");
  });

  test("a program that throws: the headline names the exception, not just 'Running program … failed'", async () => {
    const { code, stdout } = await previewComment(fixture("exception"), ["--exit-code", "1"]);

    expect(code).toBe(1);
    const headline = stdout.split("\n").find((line) => line.startsWith("### "));
    expect(headline).toBe("### ❌ Pulumi preview · `dev`: failed: `SyntaxError: Expected double-quoted property name in JSON at position 32`");
    const beforeFold = stdout.slice(0, stdout.indexOf("<details>"));
    expect(beforeFold).toContain("failed with an unhandled exception: SyntaxError: Expected double-quoted property name");
    expect(stdout).not.toContain("no changes");
  });

  test("an error ending in ':' with no cause after it keeps the summary that follows (its counts are not taken for the cause)", async () => {
    const { stdout } = await previewComment("Previewing update (dev):\nerror: update failed:\nResources:\n    + 2 to create\n", ["--exit-code", "1"]);
    expect(stdout).toMatch(/^### ❌ Pulumi preview · `dev`: failed: `update failed:`$/m);
    expect(stdout).toContain("2 to create");
  });

  test("the same failure without --exit-code is still a failure (the error line says so): exit 1", async () => {
    const { code, stdout } = await previewComment(fixture("exception"));
    expect(code).toBe(1);
    expect(stdout).toMatch(/^### ❌ .*: failed: `SyntaxError/m);
  });

  test("a non-zero exit with no error line still reads as a failure", async () => {
    const { code, stdout } = await previewComment(fixture("none"), ["--exit-code", "255"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/: failed$/m);
    expect(stdout).toContain("exited with status 255");
  });

  test("--expect-no-changes finding drift reads as the changes found, under the title given", async () => {
    const { stdout } = await previewComment(fixture("drift"), ["--exit-code", "7", "--title", "Drift check"]);

    expect(stdout).toMatch(/^### 📝 Drift check · `dev`: 1 change$/m);
    expect(stdout).toMatch(/\| ✏️ update \| `story` \| `fansly:TrackingLink` \| `label` \|/);
    expect(stdout).not.toMatch(/failed/);
  });
});

/** A control or bidi character other than a line break or tab: what no output may carry raw. */
// eslint-disable-next-line no-control-regex -- the characters this test looks for
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe("what the comment takes from the preview is inert", () => {
  test("a resource name with an @mention and a link, in the first error, is a code span in the headline", async () => {
    const hostile = "error: pulumi-nodejs:dynamic/fansly:TrackingLink resource '@octocat-[x](https://evil.example)': label is `bad` <img src=x>";
    const { code, stdout } = await previewComment(`Previewing update (prod):\n${hostile}\nResources:\n    1 unchanged\n`);

    expect(code).toBe(1);
    const headline = stdout.split("\n").find((line) => line.startsWith("### ")) ?? "";
    expect(headline).toBe(
      "### ❌ Pulumi preview · `prod`: failed: ``pulumi-nodejs:dynamic/fansly:TrackingLink resource '@octocat-[x](https://evil.example)': label is `bad` <img src=x>``",
    );
  });

  test("a control character or an escape sequence from a label in the diff reaches the comment escaped", async () => {
    const preview = `${fixture("none").trimEnd()}\n    label: "a\u001b]0;pwned\u0007b\u202e"\n`;
    const { stdout } = await previewComment(preview);

    expect(stdout).not.toMatch(RAW_CONTROL);
    expect(stdout).toContain("a\\u001b]0;pwned\\u0007b\\u202e");
  });
});

describe("a preview cut short", () => {
  test("the first lines of a preview, without its closing summary, are incomplete: no count, exit 1, with or without --exit-code", async () => {
    const cut = fixture("mixed").split("\n").slice(0, 8).join("\n");
    for (const args of [[], ["--exit-code", "0"]]) {
      const { code, stdout, stderr } = await previewComment(cut, args);
      expect(code).toBe(1);
      expect(stdout).toMatch(/^### ⚠️ Pulumi preview · `dev`: incomplete output, no count$/m);
      expect(stdout).not.toMatch(/\d+ changes?\b/);
      expect(stdout).not.toMatch(/no changes/);
      expect(stderr).toContain("incomplete");
    }
  });

  test("only the 'Previewing update' line is incomplete, not 'no changes'", async () => {
    const { code, stdout } = await previewComment("Previewing update (prod):\n");
    expect(code).toBe(1);
    expect(stdout).not.toContain("no changes");
    expect(stdout).toContain("incomplete");
  });

  test("a summary cut after its first kind (no total line) is incomplete", async () => {
    const whole = fixture("mixed");
    const cut = whole.slice(0, whole.indexOf("    ~ 2 to update"));
    const { code, stdout } = await previewComment(cut);
    expect(code).toBe(1);
    expect(stdout).not.toContain("2 changes");
    expect(stdout).toContain("incomplete");
  });
});

describe("the command line", () => {
  test("the run log link defaults to this GitHub Actions run", async () => {
    const env = { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "agency/links", GITHUB_RUN_ID: "99" };
    const { stdout } = await previewComment(fixture("none"), [], env);
    expect(stdout).toContain("[Run log](https://github.com/agency/links/actions/runs/99)");
  });

  test("the run log link defaults to this GitLab job", async () => {
    const { stdout } = await previewComment(fixture("none"), [], { CI_JOB_URL: "https://gitlab.com/agency/links/-/jobs/7" });
    expect(stdout).toContain("[Run log](https://gitlab.com/agency/links/-/jobs/7)");
  });

  test("--max-chars below the minimum, a bad --exit-code or an unknown flag is a usage error (exit 2)", async () => {
    for (const args of [["--max-chars", "100"], ["--exit-code", "one"], ["--colour"]]) {
      const { code, stdout, stderr } = await previewComment(fixture("none"), args);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toContain("usage: pulumi preview --diff 2>&1 | pulumi-fansly preview-comment");
    }
  });

  test("--help explains the marker and exits 0", async () => {
    const { code, stdout } = await previewComment("", ["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("<!-- pulumi-fansly:preview-comment stack=NAME -->");
  });
});

describe("policy violations (pulumi preview --policy-pack)", () => {
  const LABEL_RULE_FIX = "Fix: change the label to match, or fansly-label-pattern.patterns.fansly_policy in the policy pack config.";

  test("a preview failed by mandatory violations says so in the headline and lists each with its resource, rule and fix (--diff output)", async () => {
    const { code, stdout } = await previewComment(fixture("policy-diff"), ["--exit-code", "255"]);
    expect(code).toBe(1);
    expect(stdout).toContain("### ❌ Pulumi preview · `dev`: failed: `3 mandatory policy violations (fansly-label-pattern, fansly-unique-label-per-account)`");
    expect(stdout).toContain("**Policy violations**");
    expect(stdout).toContain(
      `| ❌ mandatory | \`fansly-label-pattern\` | \`dynamic-bio\` (\`fansly:TrackingLink\`) | \`TrackingLink "dynamic-bio": label "Insta bio" does not match ^(Twitter\\|Reddit) , the pattern of account fansly_policy (fansly-label-pattern). ${LABEL_RULE_FIX}\` |`,
    );
    expect(stdout).toContain("| ❌ mandatory | `fansly-label-pattern` | `plugin-bio` (`fansly:index:TrackingLink`) |");
    expect(stdout).toContain('| ❌ mandatory | `fansly-unique-label-per-account` | `plugin-bio` (`fansly:index:TrackingLink`) | `TrackingLink "plugin-bio" has the label "Insta bio" of TrackingLink "dynamic-bio"');
  });

  test("the plain display's Policies: section reads the same", () => {
    const comment = renderPreviewComment(fixture("policy-plain"), { exitCode: 255 });
    expect(comment).toContain("failed: `2 mandatory policy violations (fansly-label-pattern)`");
    expect(comment).toContain(`\`TrackingLink "plugin-bio": label "Insta story" does not match ^(Twitter\\|Reddit) , the pattern of account fansly_policy (fansly-label-pattern). ${LABEL_RULE_FIX}\``);
  });

  test("advisory violations are listed under a passing preview, which still counts its changes", async () => {
    const { code, stdout } = await previewComment(fixture("policy-advisory"), ["--exit-code", "0"]);
    expect(code).toBe(0);
    expect(stdout).toContain("### 📝 Pulumi preview · `dev`: 3 changes");
    // The message holds a backtick, so its code span is fenced with two.
    expect(stdout).toContain("| ⚠️ advisory | `fansly-description-required` | `plugin-post` (`fansly:index:TrackingLink`) | ``TrackingLink \"plugin-post\" has no description");
    expect(stdout).toContain("| ⚠️ advisory | `fansly-forbidden-words` | `dynamic-bio`");
  });

  test("a label in a violation is inert: control characters escaped, Markdown inside a code span", () => {
    const hostile = fixture("policy-advisory").replace('description "free stuff"', 'description "free \u001b]0;pwned\u0007 @team <img src=x>"');
    const comment = renderPreviewComment(hostile, { exitCode: 0 });
    expect(comment).not.toContain("\u001b");
    expect(comment).toContain("`TrackingLink \"dynamic-bio\": description \"free \\u001b]0;pwned\\u0007 @team <img src=x>\"");
  });

  test("many violations stay within a quarter of the limit, the rest counted", () => {
    const many = Array.from({ length: 400 }, (_, i) => [
      `    pulumi-fansly@v0.1.0 [mandatory]  fansly-label-pattern  (pulumi-nodejs:dynamic/fansly:TrackingLink: link-${i})Each link's label matches its account's pattern.`,
      `TrackingLink "link-${i}": label "Insta ${i}" does not match ^Twitter , the pattern of account fansly_main (fansly-label-pattern). ${LABEL_RULE_FIX}`,
    ]).flat();
    const preview = ["Previewing update (prod):", ...many, "Resources:", "    + 400 to create", "", "error: preview failed"].join("\n");
    const comment = renderPreviewComment(preview, { exitCode: 255, maxChars: 20_000 });
    expect(comment.length).toBeLessThanOrEqual(20_000);
    const table = comment.slice(comment.indexOf("**Policy violations**"), comment.indexOf("<details>"));
    expect(table.length).toBeLessThanOrEqual(5_000);
    expect(table).toMatch(/\| … \| and \d+ more violations: see the run log \| \| \|/);
    expect(comment).toContain("failed: `400 mandatory policy violations (fansly-label-pattern)`");
  });
});
