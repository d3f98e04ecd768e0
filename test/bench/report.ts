/** The Markdown table `npm run bench` prints and writes to test/bench/results.md. */

export interface Figure {
  name: string;
  ours: number | string;
  naive: number | string;
  target: string;
  met: boolean;
  note: string;
}

export interface ReportInput {
  generatedAt: string;
  durationS: number;
  links: number;
  inFlight: number;
  latencyMs: number;
  machine: { os: string; cpus: number; cpuModel: string; memoryGb: number; loadAverage: { start: number[]; end: number[] } };
  versions: Record<string, string | undefined>;
  figures: Figure[];
}

function cell(value: number | string): string {
  return typeof value === "number" && Number.isNaN(value) ? "–" : String(value).replaceAll("|", "\\|");
}

export function renderMarkdown(results: ReportInput): string {
  const { machine, versions } = results;
  const lines = [
    `# pulumi-fansly benchmark (${results.generatedAt})`,
    "",
    `${results.links} links; host runs ${results.inFlight} in flight at ${results.latencyMs} ms emulated latency. ` +
      `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.os}; ` +
      `load average ${machine.loadAverage.start.join(" ")} at start, ${machine.loadAverage.end.join(" ")} at end. ` +
      `Versions: ${Object.entries(versions)
        .map(([name, version]) => `${name} ${version ?? "?"}`)
        .join(", ")}. Took ${results.durationS} s.`,
    "",
    "| Figure | Ours | Naive baseline | Target | Met | Note |",
    "| --- | --- | --- | --- | --- | --- |",
    ...results.figures.map(
      (f) => `| ${cell(f.name)} | ${cell(f.ours)} | ${cell(f.naive)} | ${cell(f.target)} | ${f.met ? "yes" : "**no**"} | ${cell(f.note)} |`,
    ),
    "",
  ];
  return lines.join("\n");
}
