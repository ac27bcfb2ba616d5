/**
 * The CLI launcher (src/cli/launch.ts): the bundle runs through V8's code cache, one cache per command; a missing,
 * foreign or damaged cache only costs speed; and the bundled CLI (dist/cli.cjs) prints exactly what the CLI run
 * in-process from the sources prints.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileCacheDir, launchCli } from "../../src/cli/launch.js";
import { runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/env.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "fledge-launch-"));
}

let bundles = 0;

/**
 * A small CommonJS "bundle" whose main() returns how many arguments it got. Each one differs (a counter in a
 * comment): V8 keeps the scripts a process compiled in memory and would not look at a cache for the same source.
 */
function fakeBundle(dir: string, body = "return argv.length;", name = "cli.cjs"): string {
  const file = join(dir, name);
  bundles += 1;
  writeFileSync(
    file,
    `"use strict"; // bundle ${process.pid}-${bundles}\nfunction helper(x) { return x * 2; }\nmodule.exports.main = async function main(argv) { helper(1); ${body} };\n`,
  );
  return file;
}

describe("compileCacheDir", () => {
  it.each([
    [{ HOME: "/h" }, "linux", join("/h", ".cache", "fledge", "v8")],
    [{ HOME: "/h", XDG_CACHE_HOME: "/x" }, "linux", join("/x", "fledge", "v8")],
    [{ HOME: "/h" }, "darwin", join("/h", "Library", "Caches", "fledge", "v8")],
    [{ USERPROFILE: "C:\\u", LOCALAPPDATA: "C:\\l" }, "win32", join("C:\\l", "fledge", "Cache", "v8")],
    [{ HOME: "/h", FLEDGE_COMPILE_CACHE_DIR: "/c" }, "linux", "/c"],
    [{ HOME: "/h", FLEDGE_NO_COMPILE_CACHE: "1" }, "linux", undefined],
    [{ HOME: "/h", FLEDGE_NO_COMPILE_CACHE: "0" }, "linux", join("/h", ".cache", "fledge", "v8")],
  ])("%j on %s → %s", (env, platform, expected) => {
    expect(compileCacheDir(env, platform)).toBe(expected);
  });
});

describe("launchCli", () => {
  it("compiles the bundle afresh, stores its code cache, and uses it on the next run", async () => {
    const dir = tempDir();
    const bundle = fakeBundle(dir);
    const cacheDir = join(dir, "cache");
    const first = await launchCli("check", { bundle, cacheDir });
    expect(first.source).toBe("compiled");
    expect(await first.main(["check", "a"])).toBe(2);
    first.finish();
    const files = readdirSync(cacheDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^v\d+\.\d+\.\d+-.+-check\.bin$/);
    const written = statSync(join(cacheDir, files[0]!)).mtimeMs;

    // The same bundle at another path (another script for V8's in-memory cache; the same content hash).
    const copy = join(dir, "copy.cjs");
    copyFileSync(bundle, copy);
    const second = await launchCli("check", { bundle: copy, cacheDir });
    expect(second.source).toBe("cached");
    expect(await second.main(["check"])).toBe(1);
    second.finish();
    // An accepted cache is not rewritten.
    expect(statSync(join(cacheDir, files[0]!)).mtimeMs).toBe(written);
  });

  it("stores no cache from a run that only printed help or failed on its arguments", async () => {
    const dir = tempDir();
    const bundle = fakeBundle(dir);
    const cacheDir = join(dir, "cache");
    (await launchCli("check", { bundle, cacheDir })).finish(2, ["check", "--bad"]);
    (await launchCli("check", { bundle, cacheDir })).finish(0, ["check", "--help"]);
    (await launchCli("check", { bundle, cacheDir })).finish(0, ["check", "-h"]);
    expect(existsSync(cacheDir)).toBe(false);
    (await launchCli("check", { bundle, cacheDir })).finish(1, ["check", "nb.ipynb"]);
    expect(readdirSync(cacheDir)).toHaveLength(1);
  });

  it("keeps one cache per command", async () => {
    const dir = tempDir();
    const bundle = fakeBundle(dir);
    const cacheDir = join(dir, "cache");
    for (const command of ["check", "map", "--version"])
      (await launchCli(command, { bundle, cacheDir })).finish();
    expect(
      readdirSync(cacheDir)
        .map((f) => f.replace(/^.*-/, ""))
        .sort(),
    ).toEqual(["check.bin", "map.bin", "other.bin"]);
    expect((await launchCli("map", { bundle, cacheDir })).source).toBe("cached");
  });

  it("replaces a damaged cache and still runs", async () => {
    const dir = tempDir();
    const bundle = fakeBundle(dir);
    const cacheDir = join(dir, "cache");
    (await launchCli("check", { bundle, cacheDir })).finish();
    const [name] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, name!), Buffer.from("not a V8 code cache, just some bytes"));
    const copies = [1, 2].map((i) => {
      const copy = join(dir, `copy${i}.cjs`);
      copyFileSync(bundle, copy);
      return copy;
    });
    const damaged = await launchCli("check", { bundle: copies[0]!, cacheDir });
    expect(damaged.source).toBe("compiled");
    expect(await damaged.main([])).toBe(0);
    damaged.finish();
    expect(readFileSync(join(cacheDir, name!)).length).toBeGreaterThan(100);
    expect((await launchCli("check", { bundle: copies[1]!, cacheDir })).source).toBe("cached");
  });

  it("drops the cache of an older build of the same command when it stores a new one", async () => {
    const dir = tempDir();
    const bundle = fakeBundle(dir);
    const cacheDir = join(dir, "cache");
    (await launchCli("check", { bundle, cacheDir })).finish();
    (await launchCli("map", { bundle, cacheDir })).finish();
    const [oldCheck] = readdirSync(cacheDir).filter((f) => f.endsWith("-check.bin"));
    fakeBundle(dir, "return 42;"); // another build
    const rebuilt = await launchCli("check", { bundle, cacheDir });
    expect(rebuilt.source).toBe("compiled");
    expect(await rebuilt.main([])).toBe(42);
    rebuilt.finish();
    const after = readdirSync(cacheDir);
    expect(after).not.toContain(oldCheck);
    expect(after.filter((f) => f.endsWith("-check.bin"))).toHaveLength(1);
    expect(after.filter((f) => f.endsWith("-map.bin"))).toHaveLength(1);
  });

  it("runs without a cache when the cache folder cannot be written", async () => {
    const dir = tempDir();
    const bundle = fakeBundle(dir);
    const blocked = join(dir, "a-file");
    writeFileSync(blocked, "");
    const cli = await launchCli("check", { bundle, cacheDir: join(blocked, "cache") });
    expect(await cli.main(["x"])).toBe(1);
    expect(() => cli.finish()).not.toThrow();
    const off = await launchCli("check", { bundle, cacheDir: null });
    expect(off.source).toBe("compiled");
    off.finish();
  });

  it("uses the compiled modules when the bundle is older than them (tsc run again without the bundler)", async () => {
    const dir = tempDir();
    const bundle = fakeBundle(dir);
    mkdirSync(join(dir, "cli"));
    writeFileSync(join(dir, "cli", "main.js"), "// compiled later\n");
    const past = (Date.now() - 60_000) / 1000;
    utimesSync(bundle, past, past);
    expect((await launchCli("check", { bundle, cacheDir: null })).source).toBe("modules");
    const later = (Date.now() + 60_000) / 1000;
    utimesSync(bundle, later, later);
    expect((await launchCli("check", { bundle, cacheDir: null })).source).toBe("compiled");
  });

  it("falls back to the compiled modules when there is no bundle", async () => {
    const cli = await launchCli("check", { bundle: join(tempDir(), "missing.cjs"), cacheDir: null });
    expect(cli.source).toBe("modules");
    expect(typeof cli.main).toBe("function");
  });
});

describe("the bundled CLI (bin/fledge.js → dist/cli.cjs)", () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, "dist", "cli.cjs")) || !existsSync(join(ROOT, "dist", "cli", "launch.js"))) {
      execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
    }
  }, 300_000);

  const fixture = join(ROOT, "test", "fixtures", "notebooks", "check", "FL101-positive.ipynb");

  it("prints what the CLI prints in-process, without and then with its code cache", async () => {
    const cacheDir = join(tempDir(), "v8");
    const env = { ...process.env, FLEDGE_COMPILE_CACHE_DIR: cacheDir, NO_COLOR: "1" };
    const expected = await runCli(["check", "--no-cache", "--format", "json", fixture]);
    const runs = [1, 2].map(() =>
      spawnSync(
        process.execPath,
        [join(ROOT, "bin", "fledge.js"), "check", "--no-cache", "--format", "json", fixture],
        {
          env,
          encoding: "utf8",
        },
      ),
    );
    for (const run of runs) {
      expect(run.stderr).toBe(expected.stderr);
      expect(run.stdout).toBe(expected.stdout);
      expect(run.status).toBe(expected.code);
    }
    expect(expected.code).toBe(1);
    expect(readdirSync(cacheDir).some((f) => f.endsWith("-check.bin"))).toBe(true);
  });

  it("reads TOML settings and YAML headers with the packages bundled in (smol-toml, yaml)", () => {
    const dir = tempDir();
    copyFileSync(fixture, join(dir, "a.ipynb"));
    writeFileSync(join(dir, "pyproject.toml"), '[tool.fledge]\nignore = ["FL101"]\n');
    const bin = join(ROOT, "bin", "fledge.js");
    const env = { ...process.env, FLEDGE_NO_COMPILE_CACHE: "1", NO_COLOR: "1" };
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [bin, ...args], { cwd: dir, env, encoding: "utf8" });
    const checked = run("check", "--no-cache", "--format", "json", "a.ipynb");
    expect(checked.stderr).toBe("");
    expect(JSON.parse(checked.stdout).files[0].findings.map((f: { code: string }) => f.code)).not.toContain(
      "FL101",
    );
    expect(run("sync", "a.ipynb").status).toBe(0);
    expect(readFileSync(join(dir, "a.py"), "utf8")).toMatch(/^# ---\n# jupyter:\n/);
    // The second run parses a.py's YAML header to find the pair unchanged.
    const again = run("sync", "a.ipynb");
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("already in sync");
  });

  it("answers --version without loading the CLI, as the CLI does", async () => {
    const expected = await runCli(["--version"]);
    for (const flag of ["--version", "-V"]) {
      const run = spawnSync(process.execPath, [join(ROOT, "bin", "fledge.js"), flag], { encoding: "utf8" });
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(expected.stdout);
    }
    expect(expected.stdout).toMatch(/^fledge \d+\.\d+\.\d+/);
  });

  it("lays out an SVG map with the bundled Graphviz", () => {
    const out = join(tempDir(), "map.svg");
    mkdirSync(join(out, ".."), { recursive: true });
    const run = spawnSync(
      process.execPath,
      [join(ROOT, "bin", "fledge.js"), "map", "--format", "svg", fixture, "-o", out],
      {
        env: { ...process.env, FLEDGE_NO_COMPILE_CACHE: "1" },
        encoding: "utf8",
      },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
  });
});
