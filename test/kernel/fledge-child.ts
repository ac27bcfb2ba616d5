/** Runs the fledge CLI from source in a child process, for tests that signal or kill fledge itself. */
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
