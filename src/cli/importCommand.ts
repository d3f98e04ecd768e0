import type { Subcommand } from "./io";

/** `pulumi-fansly import --account <id> [--out links.yaml]` (being written). */
export const runImport: Subcommand = (_argv, io) => {
  io.stderr("pulumi-fansly import: not available yet\n");
  return Promise.resolve(1);
};
