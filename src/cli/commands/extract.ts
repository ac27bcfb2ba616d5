import { FledgeError } from "../../errors.js";
import type { Command } from "../command.js";

// Placeholder registered so the CLI surface is complete; the issue that owns `extract` replaces this file.
export const command: Command = {
  name: "extract",
  summary: "not available yet",
  usage: "extract",
  help: [],
  examples: [],
  options: {},
  async run() {
    throw new FledgeError("E_USAGE", "`fledge extract` is not available in this build yet.");
  },
};
