import { FledgeError } from "../../errors.js";
import type { Command } from "../command.js";

// Placeholder registered so the CLI surface is complete; the issue that owns `check` replaces this file.
export const command: Command = {
  name: "check",
  summary: "not available yet",
  usage: "check",
  help: [],
  examples: [],
  options: {},
  async run() {
    throw new FledgeError("E_USAGE", "`fledge check` is not available in this build yet.");
  },
};
