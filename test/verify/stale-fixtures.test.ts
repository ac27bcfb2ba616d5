import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { staleFixtureFiles } from "../../src/verify/fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "fledge-stale-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("staleFixtureFiles (samples an earlier extraction left behind)", () => {
  it("lists sample files and manifests the new extraction does not write, nothing else", async () => {
    for (const f of [
      "tests/fixtures/clean/in_df.parquet",
      "tests/fixtures/clean/out_df.parquet",
      "tests/fixtures/clean/manifest.json",
      "tests/fixtures/join/in_orders.parquet",
      "tests/fixtures/join/manifest.json",
      "tests/fixtures/join/notes.txt",
      "tests/fixtures/README.md",
    ]) {
      mkdirSync(join(dir, ...f.split("/").slice(0, -1)), { recursive: true });
      writeFileSync(join(dir, ...f.split("/")), "x");
    }
    const keep = ["tests/fixtures/clean/in_df.parquet", "tests/fixtures/clean/manifest.json"];
    expect(await staleFixtureFiles(dir, keep)).toEqual([
      "tests/fixtures/clean/out_df.parquet",
      "tests/fixtures/join/in_orders.parquet",
      "tests/fixtures/join/manifest.json",
    ]);
    expect(await staleFixtureFiles(join(dir, "missing"), keep)).toEqual([]);
  });
});
