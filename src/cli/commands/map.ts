import { FledgeError } from "../../errors.js";
import type { Command } from "../command.js";

// Placeholder registered so the CLI surface is complete; the issue that owns `map` replaces this file.
export const command: Command = {
  name: "map",
  summary: "not available yet",
  usage: "map",
  help: [],
  examples: [],
  options: {},
  async run() {
    throw new FledgeError("E_USAGE", "`fledge map` is not available in this build yet.");
  },
};
