import type { Command } from "../command.js";

/**
 * The command registry. Commands load lazily so `fledge strip` does not pay for the
 * Python parser or ZeroMQ.
 */
export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  check: {
    summary: "find hidden state and reproducibility problems (static)",
    load: async () => (await import("./check.js")).command,
  },
  map: {
    summary: "the notebook's workflow as steps (text, mermaid, dot, svg, json, html)",
    load: async () => (await import("./map.js")).command,
  },
  extract: {
    summary: "write a production Python project from a notebook",
    load: async () => (await import("./extract.js")).command,
  },
  verify: {
    summary: "run notebook and extracted pipeline, compare step by step",
    load: async () => (await import("./verify.js")).command,
  },
  run: {
    summary: "execute a notebook top to bottom in a fresh kernel",
    load: async () => (await import("./run.js")).command,
  },
  inspect: {
    summary: "print what each code cell defines, reads, modifies and imports",
    load: async () => (await import("./inspect.js")).command,
  },
  sync: {
    summary: "pair a notebook with a percent-format .py and keep them in sync",
    load: async () => (await import("./sync.js")).command,
  },
  strip: {
    summary: "remove outputs and volatile metadata (git clean filter)",
    load: async () => (await import("./strip.js")).command,
  },
  diff: {
    summary: "cell-level diff of two notebooks (git diff driver)",
    load: async () => (await import("./diff.js")).command,
  },
  git: {
    summary: "git integration: `fledge git setup` installs the filter and diff driver",
    load: async () => (await import("./git.js")).command,
  },
  export: {
    summary: "an Airflow DAG or Kubeflow pipeline running an extracted project's steps",
    load: async () => (await import("./export.js")).command,
  },
  demo: {
    summary: "the whole journey on the bundled example notebook",
    load: async () => (await import("./demo.js")).command,
  },
};
