#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` through the `prepare` script). It runs
// the bundled CLI through V8's code cache when the build made one (src/cli/launch.ts).
import { setFlagsFromString } from "node:v8";

const argv = process.argv.slice(2);
// A command is a short process: a few hundred milliseconds to a few seconds of JavaScript. In so short a
// process, V8's optimising compiler (TurboFan, on background threads) spends more CPU than the optimised code
// saves: over the corpus, `fledge check` spent ~1 s of background CPU compiling against 1.2 s of main-thread
// work, and on a 2-core machine those threads take the cores from the check itself. A larger interrupt budget
// (132 KB of bytecode by default) optimises functions later, so fewer are: measured on the corpus folder
// 1.79 -> 1.52 s without the analysis cache, 0.89 -> 0.79 s with it, a single notebook unchanged.
// `fledge sync *.ipynb` also gets a smaller inlining budget (a third of its CPU went to TurboFan on
// bench:formats). Process-wide flags, so set here, in the CLI's own process, before the command's code loads —
// never by the library's `main`. They are part of what V8 checks a code cache against (launch.ts).
if (argv[0] === "sync") {
  setFlagsFromString("--max-inlined-bytecode-size-cumulative=200");
  setFlagsFromString("--interrupt-budget=300000");
} else {
  setFlagsFromString("--interrupt-budget=600000");
}
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  // Answered without loading the CLI (what `main` prints for it too).
  const { readFileSync } = await import("node:fs");
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`fledge ${pkg.version}\n`);
} else {
  const { launchCli } = await import("../dist/cli/launch.js");
  const cli = await launchCli(argv[0]);
  process.exitCode = await cli.main(argv);
  cli.finish(process.exitCode, argv);
}
