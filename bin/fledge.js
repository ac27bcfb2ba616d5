#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` through the `prepare` script).
import { setFlagsFromString } from "node:v8";
import { main } from "../dist/cli/main.js";

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
process.exitCode = await main(argv);
