// @ts-check
/**
 * `npm run test:pipelines`: the GitOps pipelines of examples/gitops run for real by local runners (gitlab-ci-local,
 * nektos/act) in a user's repository cloned from this one (test/gitops/*.pipeline.ts), against the emulator and fakes
 * of the forges' APIs, with the real Pulumi CLI. Not part of `npm test`: minutes, a clone and an npm install each.
 * @type {import('jest').Config}
 */
module.exports = {
  // This file sits in the folder it runs; paths below are from the repository root.
  rootDir: "../..",
  testEnvironment: "node",
  roots: ["<rootDir>/test/gitops"],
  testMatch: ["**/*.pipeline.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
  },
  // Each file is one scenario, in order; the two runners share the machine's two cores badly.
  maxWorkers: 1,
  testTimeout: 15 * 60_000,
  verbose: true,
};
