/** `fledge export`: usage errors and the files it writes (the engines themselves: npm run test:engines). */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CliContext } from "../../src/cli/command.js";
import { command } from "../../src/cli/commands/export.js";
import { FledgeError } from "../../src/errors.js";

const dir = mkdtempSync(join(tmpdir(), "fledge-export-"));
const steps = {
  format: 1,
  package: "demo",
  params: { data_dir: ".", outputs_dir: "outputs", data_path: "d.csv" },
  steps: [
    {
      name: "load_data",
      module: "load_data",
      args: [{ name: "data_path", source: { kind: "param", param: "data_path", role: "data" } }],
      returns: [{ name: "df" }],
    },
    {
      name: "train_model",
      module: "train_model",
      args: [{ name: "df", source: { kind: "input", from: "load_data" } }],
      returns: [{ name: "model" }],
    },
  ],
};
mkdirSync(join(dir, "proj", ".fledge"), { recursive: true });
writeFileSync(join(dir, "proj", ".fledge", "steps.json"), JSON.stringify(steps));

function ctx(): CliContext & { out: string[] } {
  const out: string[] = [];
  return {
    out,
    cwd: dir,
    env: {},
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => out.push(s) },
    stdin: process.stdin,
    color: false,
    signal: new AbortController().signal,
  };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("fledge export", () => {
  it("refuses an unknown target and a folder without steps.json", async () => {
    await expect(command.run({ values: {}, positionals: ["prefect", "proj"] }, ctx())).rejects.toThrow(
      /expected airflow or kubeflow/,
    );
    const err = await command.run({ values: {}, positionals: ["airflow", "nowhere"] }, ctx()).catch((e) => e);
    expect(err).toBeInstanceOf(FledgeError);
    expect((err as FledgeError).code).toBe("E_INPUT");
  });

  it("writes a DAG whose tasks are the steps, wired by their inputs, and refuses to overwrite it", async () => {
    const c = ctx();
    expect(
      await command.run({ values: { artifacts: "s3://b/p" }, positionals: ["airflow", "proj"] }, c),
    ).toBe(0);
    const dag = readFileSync(join(dir, "proj", "orchestration", "demo_dag.py"), "utf8");
    expect(dag).toContain('@task(task_id="load_data")');
    expect(dag).toContain("t_load_data >> t_train_model");
    expect(dag).toContain('os.environ.get("FLEDGE_ARTIFACTS", "s3://b/p")');
    await expect(command.run({ values: {}, positionals: ["airflow", "proj"] }, ctx())).rejects.toThrow(
      /exists/,
    );
  });

  it("writes a KFP pipeline with one component per step on the given image", async () => {
    expect(
      await command.run({ values: { image: "reg/demo:2" }, positionals: ["kubeflow", "proj"] }, ctx()),
    ).toBe(0);
    const kfp = readFileSync(join(dir, "proj", "orchestration", "demo_kfp.py"), "utf8");
    expect(kfp.match(/@dsl\.container_component/g)).toHaveLength(2);
    expect(kfp).toContain('IMAGE = "reg/demo:2"');
    expect(kfp).toContain("t_train_model.after(t_load_data)");
  });
});
