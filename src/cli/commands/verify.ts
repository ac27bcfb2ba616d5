import { FledgeError } from "../../errors.js";
import type { Command } from "../command.js";

// Placeholder registered so the CLI surface is complete; the issue that owns `verify` replaces this file.
export const command: Command = {
  name: "verify",
  summary: "not available yet",
  usage: "verify",
  help: [],
  examples: [],
  options: {},
  async run() {
    throw new FledgeError("E_USAGE", "`fledge verify` is not available in this build yet.");
  },
};
