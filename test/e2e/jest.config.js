// @ts-check
/**
 * `npm run test:e2e`: the real Pulumi CLI against the emulator (test/e2e). Not part of `npm test`: the first run
 * builds the CLI from the Go module proxy (about 3.5 minutes; cached per version afterwards).
 * @type {import('jest').Config}
 */
module.exports = {
  // This file sits in the folder it runs; paths below are from the repository root.
  rootDir: "../..",
  testEnvironment: "node",
  roots: ["<rootDir>/test/e2e"],
  testMatch: ["**/*.e2e.ts"],
  moduleNameMapper: {
    "^pulumi-fansly/(.*)$": "<rootDir>/src/$1",
    "^pulumi-fansly$": "<rootDir>/src/index.ts",
  },
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
  },
  // One scenario, in order: each step builds on the state the previous one left.
  maxWorkers: 1,
  testTimeout: 10 * 60_000,
  verbose: true,
};
