/**
 * `fledge check` prunes its analysis cache: after a run, the files of notebooks that no longer exist are deleted,
 * at most once a day per cache folder (analysis/cache.ts `prune`).
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/env.js";

const CHECK = join(ROOT, "test", "fixtures", "notebooks", "check");

describe("fledge check: cache pruning", () => {
  it("drops a deleted notebook's cache file on the first run after a day", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fledge-prune-"));
    copyFileSync(join(CHECK, "FL101-positive.ipynb"), join(dir, "one.ipynb"));
    copyFileSync(join(CHECK, "FL102-positive.ipynb"), join(dir, "two.ipynb"));
    const cache = join(dir, "cache");
    const files = () => readdirSync(join(cache, "v1")).filter((n) => n.endsWith(".cells"));
    const check = () => runCli(["check", "--format", "json", "--cache-dir", "cache", "."], { cwd: dir });

    expect((await check()).code).toBe(1);
    expect(files()).toHaveLength(2);
    rmSync(join(dir, "two.ipynb"));
    await check();
    expect(files()).toHaveLength(2); // pruned less than a day ago
    const twoDaysAgo = (Date.now() - 2 * 24 * 3_600_000) / 1000;
    utimesSync(join(cache, "v1", ".last-prune"), twoDaysAgo, twoDaysAgo);
    const after = await check();
    expect(after.code).toBe(1);
    expect(files()).toHaveLength(1);
    expect(after.stderr).toBe("");
    // The remaining notebook still hits: same findings as without the cache.
    const fresh = await runCli(["check", "--format", "json", "--no-cache", "."], { cwd: dir });
    expect((await check()).stdout).toBe(fresh.stdout);
  });
});
