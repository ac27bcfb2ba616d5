import { FledgeError } from "../../errors.js";
import type { Command } from "../command.js";

// Placeholder registered so the CLI surface is complete; the issue that owns `sync` replaces this file.
export const command: Command = {
  name: "sync",
  summary: "not available yet",
  usage: "sync",
  help: [],
  examples: [],
  options: {},
  async run() {
    throw new FledgeError("E_USAGE", "`fledge sync` is not available in this build yet.");
  },
};
