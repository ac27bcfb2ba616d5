#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` through the `prepare` script). It runs
// the bundled CLI through V8's code cache when the build made one (src/cli/launch.ts).
import { setFlagsFromString } from "node:v8";

const argv = process.argv.slice(2);
// `fledge sync *.ipynb` runs a few hundred milliseconds of the same code over many files. In so short a process,
// V8's optimising compiler spends more CPU than the optimised code saves (a third of sync's CPU on
// bench:formats): a smaller inlining budget and a larger interrupt budget (functions are optimised later, so
// fewer are) trade a little peak speed for much less compiling. Process-wide flags, so set here, in the CLI's
// own process, before the command's modules load — never by the library's `main`.
if (argv[0] === "sync") {
  setFlagsFromString("--max-inlined-bytecode-size-cumulative=200");
  setFlagsFromString("--interrupt-budget=300000");
}
const { launchCli } = await import("../dist/cli/launch.js");
const cli = await launchCli(argv[0]);
process.exitCode = await cli.main(argv);
cli.finish();
