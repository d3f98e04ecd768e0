import type { Subcommand } from "./io";

/** `pulumi preview … | pulumi-fansly preview-comment` (being written). */
export const runPreviewComment: Subcommand = (_argv, io) => {
  io.stderr("pulumi-fansly preview-comment: not available yet\n");
  return Promise.resolve(1);
};
