import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Python children keep their bytecode in a cache folder (the venv is installed without .pyc files).
    globalSetup: ["test/helpers/python-bytecode.ts"],
  },
});
