import { cp, mkdtemp, readFile, rename, writeFile, chmod, copyFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../src/emulator";
import { buildStack } from "../host/stack";
import { PulumiCli, pulumiBinFor } from "./pulumiCli";

test("probe", async () => {
  const SDK = join(__dirname, "..", "..", "node_modules");
  const bin = await pulumiBinFor(SDK);
  const emulator = await startEmulator({ apiKeys: ["k-probe-1234567"], accounts: ["fansly_p"] });
  const scratch = await mkdtemp(join(tmpdir(), "probe-home-"));
  const built = await buildStack({ sdkNodeModules: SDK, forPrograms: true });
  const dir = await mkdtemp(join(tmpdir(), "probe-proj-"));
  await cp(built, dir, { recursive: true, verbatimSymlinks: true });
  for (const f of ["Pulumi.yaml", "index.ts", "package.json"]) await copyFile(join(__dirname, "plugin-project", f), join(dir, f));
  await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node10", skipLibCheck: true, types: ["node"] }, files: ["index.ts"] }));
  // A program with both faces.
  await writeFile(join(dir, "index.ts"), 'import { TrackingLink } from "pulumi-fansly/plugin";\nimport * as dyn from "pulumi-fansly";\nnew TrackingLink("a", { label: "A" });\nnew dyn.TrackingLink("b", { label: "B" });\n');
  await writeFile(join(dir, "links.json"), "{}");
  const plugin = join(dir, "node_modules", "pulumi-fansly", "dist", "plugin");
  await rename(join(plugin, "pulumi-resource-fansly"), join(plugin, "real-launcher"));
  const log = join(scratch, "probe.log");
  await writeFile(join(plugin, "pulumi-resource-fansly"), `#!/bin/sh\necho "plugin pid=$$ ppid=$PPID args=$* chain=$(ps -o pid=,comm= -p $PPID; ps -o ppid= -p $PPID | xargs ps -o pid=,comm= -p)" >> ${log}\n(sleep 4; ps -o pid=,args= --ppid $PPID >> ${log}) &\nexec node ${join(plugin, "real-launcher")} "$@"\n`);
  await chmod(join(plugin, "pulumi-resource-fansly"), 0o755);
  const cli = new PulumiCli(bin, scratch);
  await cli.prepare();
  await cli.initStack(dir, "dev", { baseUrl: emulator.url, accountId: "fansly_p", apiKey: "k-probe-1234567" });
  for (const args of [["up", "--yes"], ["preview"], ["destroy", "--yes"]]) {
    await writeFile(log, `${await readFile(log, "utf8").catch(() => "")}--- ${args.join(" ")}\n`);
    const r = await cli.run(dir, [...args, "--stack", "dev"]);
    void r;
  }
  console.log(await readFile(log, "utf8"));
  await emulator.close();
}, 600_000);
