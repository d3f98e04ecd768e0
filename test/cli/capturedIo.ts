/** Runs a `pulumi-fansly` subcommand in-process with captured output, as the bin would run it. */
import type { CliIo, Subcommand } from "../../src/cli/io";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCaptured(
  command: Subcommand,
  argv: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string } = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    readStdin: () => Promise.resolve(options.stdin ?? ""),
  };
  const code = await command(argv, io);
  return { code, stdout, stderr };
}
