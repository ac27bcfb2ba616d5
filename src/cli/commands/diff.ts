import { FledgeError } from "../../errors.js";
import type { Command } from "../command.js";

// Placeholder registered so the CLI surface is complete; the issue that owns `diff` replaces this file.
export const command: Command = {
  name: "diff",
  summary: "not available yet",
  usage: "diff",
  help: [],
  examples: [],
  options: {},
  async run() {
    throw new FledgeError("E_USAGE", "`fledge diff` is not available in this build yet.");
  },
};
