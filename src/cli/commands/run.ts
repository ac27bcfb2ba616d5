import { FledgeError } from "../../errors.js";
import type { Command } from "../command.js";

// Placeholder registered so the CLI surface is complete; the issue that owns `run` replaces this file.
export const command: Command = {
  name: "run",
  summary: "not available yet",
  usage: "run",
  help: [],
  examples: [],
  options: {},
  async run() {
    throw new FledgeError("E_USAGE", "`fledge run` is not available in this build yet.");
  },
};
