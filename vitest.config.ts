import { defineConfig } from "vitest/config";
import SlowFirstSequencer from "./test/helpers/slow-first-sequencer.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest's default on 2 cores is 1 worker (cores - 1). The slow files spend most of their time waiting
    // on one Python child at a time (kernels, pytest, virtualenvs), so a second worker fills the idle core.
    maxWorkers: 2,
    // One worker runs many files without a fresh process and module graph for each (measured on the 32
    // files of test/notebook, graph, render and python: 51 s -> 30 s wall, 35 s -> 23 s CPU). No test file
    // mocks modules, stubs globals or changes process.env or the working folder.
    isolate: false,
    // Slowest files first (a clean clone has no cached durations for vitest to order by).
    sequence: { sequencer: SlowFirstSequencer },
    // Python children keep their bytecode in a cache folder (the venv is installed without .pyc files).
    globalSetup: ["test/helpers/python-bytecode.ts"],
  },
});
