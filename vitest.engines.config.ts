import { defineConfig } from "vitest/config";

/** `npm run test:engines`: tests against real orchestrators (Airflow, KFP) installed in their own virtualenvs. */
export default defineConfig({
  test: {
    include: ["test/engines/**/*.engine.ts"],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    pool: "forks",
    // As in vitest.config.ts: the Python children (Airflow, KFP, the project's pipeline) keep their bytecode.
    globalSetup: ["test/helpers/python-bytecode.ts"],
  },
});
