import { FledgeError } from "../../errors.js";
import type { Command } from "../command.js";

// Placeholder registered so the CLI surface is complete; the issue that owns `demo` replaces this file.
export const command: Command = {
  name: "demo",
  summary: "not available yet",
  usage: "demo",
  help: [],
  examples: [],
  options: {},
  async run() {
    throw new FledgeError("E_USAGE", "`fledge demo` is not available in this build yet.");
  },
};
