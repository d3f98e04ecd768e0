// @ts-check
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // The serialized provider shim loads the package by name; in-process tests resolve that name to the sources.
  moduleNameMapper: {
    "^pulumi-fansly/(.*)$": "<rootDir>/src/$1",
    "^pulumi-fansly$": "<rootDir>/src/index.ts",
  },
  // Builds a scratch stack with the compiled package once per run, for the tests that start the real host.
  globalSetup: "<rootDir>/test/host/globalSetup.ts",
  globalTeardown: "<rootDir>/test/host/globalTeardown.ts",
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
  },
  // The client is the part every other layer trusts: keep it measured.
  collectCoverageFrom: ["src/**/*.ts"],
  // Pulumi serializes the shim's source text into state: coverage counters must not be compiled into it.
  coveragePathIgnorePatterns: ["/node_modules/", "<rootDir>/src/provider/shim.ts"],
  coverageThreshold: {
    "./src/client/": { lines: 90 },
  },
  coverageReporters: ["text-summary", "lcov"],
  collectCoverage: true,
  // Tests that start servers close them; a hang is a bug, not something to wait out.
  testTimeout: 20000,
};
