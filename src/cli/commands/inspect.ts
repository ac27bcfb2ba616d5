import { FledgeError } from "../../errors.js";
import type { Command } from "../command.js";

// Placeholder registered so the CLI surface is complete; the issue that owns `inspect` replaces this file.
export const command: Command = {
  name: "inspect",
  summary: "not available yet",
  usage: "inspect",
  help: [],
  examples: [],
  options: {},
  async run() {
    throw new FledgeError("E_USAGE", "`fledge inspect` is not available in this build yet.");
  },
};
