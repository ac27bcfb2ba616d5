import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { FledgeError } from "../../src/errors.js";
import { writeFileAtomic } from "../../src/notebook/fs.js";
import { ROOT } from "../helpers/env.js";

const tempDir = () => mkdtempSync(join(tmpdir(), "fledge-fs-"));

describe("writeFileAtomic", () => {
  it("writes a new file and replaces an existing one, leaving no temporary file", async () => {
    const dir = tempDir();
    const path = join(dir, "nb.ipynb");
    await writeFileAtomic(path, "first");
    expect(readFileSync(path, "utf8")).toBe("first");
    await writeFileAtomic(path, "second");
    expect(readFileSync(path, "utf8")).toBe("second");
    expect(readdirSync(dir)).toEqual(["nb.ipynb"]);
  });

  it.skipIf(process.platform === "win32")("keeps the original file's permissions", async () => {
    const dir = tempDir();
    const path = join(dir, "script.py");
    writeFileSync(path, "old", { mode: 0o750 });
    await writeFileAtomic(path, "new");
    expect(statSync(path).mode & 0o777).toBe(0o750);
  });

  it("a failure before the rename leaves the original and removes the temporary file", async () => {
    const dir = tempDir();
    const path = join(dir, "nb.ipynb");
    writeFileSync(path, "original");
    let tempSeen = "";
    await expect(
      writeFileAtomic(path, "new content", {
        beforeRename: (temp) => {
          tempSeen = temp;
          expect(readFileSync(temp, "utf8")).toBe("new content");
          throw new Error("simulated crash");
        },
      }),
    ).rejects.toThrow(FledgeError);
    expect(tempSeen.startsWith(dir)).toBe(true);
    expect(readFileSync(path, "utf8")).toBe("original");
    expect(readdirSync(dir)).toEqual(["nb.ipynb"]);
  });

  it("a process killed in the middle of a write leaves the original intact", async () => {
    const dir = tempDir();
    const path = join(dir, "big.ipynb");
    writeFileSync(path, "original");
    const moduleUrl = pathToFileURL(join(ROOT, "src", "notebook", "fs.ts")).href;
    // A child writes 64 MB slowly (a hook delays the rename) and is killed with SIGKILL while writing.
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(moduleUrl)};
      process.stdout.write("start\\n");
      await writeFileAtomic(${JSON.stringify(path)}, "x".repeat(64 * 1024 * 1024), {
        beforeRename: () => new Promise((r) => { process.stdout.write("written\\n"); setTimeout(r, 60_000); }),
      });
    `;
    const tsx = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
    const child = spawn(process.execPath, [tsx, "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => {
      err += String(d);
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d) => {
        out += String(d);
        if (out.includes("written")) resolve();
      });
      child.on("exit", () => reject(new Error(`child exited early: ${out} ${err}`)));
    });
    const temps = readdirSync(dir).filter((f) => f.endsWith(".tmp"));
    expect(temps).toHaveLength(1); // the new content is complete, but only in the temporary file
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(readFileSync(path, "utf8")).toBe("original");
  }, 60_000);

  it("reports a missing folder and a directory target clearly", async () => {
    const dir = tempDir();
    await expect(writeFileAtomic(join(dir, "no", "such", "nb.ipynb"), "x")).rejects.toThrow(
      /folder does not exist/,
    );
    await expect(writeFileAtomic(dir, "x")).rejects.toThrow(/is a directory/);
    expect(existsSync(join(dir, "no"))).toBe(false);
  });
});
