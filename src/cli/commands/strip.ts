import { FledgeError } from "../../errors.js";
import type { Command } from "../command.js";

// Placeholder registered so the CLI surface is complete; the issue that owns `strip` replaces this file.
export const command: Command = {
  name: "strip",
  summary: "not available yet",
  usage: "strip",
  help: [],
  examples: [],
  options: {},
  async run() {
    throw new FledgeError("E_USAGE", "`fledge strip` is not available in this build yet.");
  },
};
