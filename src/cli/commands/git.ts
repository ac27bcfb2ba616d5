import { FledgeError } from "../../errors.js";
import type { Command } from "../command.js";

// Placeholder registered so the CLI surface is complete; the issue that owns `git` replaces this file.
export const command: Command = {
  name: "git",
  summary: "not available yet",
  usage: "git",
  help: [],
  examples: [],
  options: {},
  async run() {
    throw new FledgeError("E_USAGE", "`fledge git` is not available in this build yet.");
  },
};
