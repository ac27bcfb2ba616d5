/** The header YAML writer and its fast reader agree with each other and with the `yaml` package. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { dumpYaml, parseHeaderYaml } from "../../src/notebook/percent-yaml.js";

const key = fc.oneof(
  fc.constantFrom("jupyter", "kernelspec", "display_name", "name", "a.b", "x-y"),
  fc.string({ minLength: 1, maxLength: 6 }),
);
const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    "1.3",
    "1.19.6",
    "ipynb,py:percent",
    ".py",
    "true",
    "null",
    "- x",
    "a: b",
    "# c",
    "it's",
    "é",
    "1e5",
    "0x1f",
  ),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(leaf, { maxLength: 3 }),
    fc.dictionary(key, tie("v"), { maxKeys: 3 }),
  ),
})).v;

describe("header YAML", () => {
  it("reads back what it writes, as the yaml package does", () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 4 }), (doc) => {
        const lines = dumpYaml(doc);
        const text = lines.join("\n");
        expect(parse(text) ?? {}).toEqual(doc);
        expect(parseHeaderYaml(lines)).toEqual(doc);
      }),
      { numRuns: 500 },
    );
  });

  it("writes like PyYAML for a Jupytext header", () => {
    const lines = dumpYaml(
      {
        jupyter: {
          jupytext: {
            formats: "ipynb,py:percent",
            text_representation: { format_version: "1.3", extension: ".py" },
          },
          kernelspec: { display_name: "Python 3 (ipykernel)", language: "python", name: "python3" },
          fledge: { cells: ["0a1b2c3d", "12345678"], inputs: "abc", version: 1 },
        },
      },
      new Set(["jupyter.fledge.cells"]),
    );
    expect(lines).toEqual([
      "jupyter:",
      "  fledge:",
      "    cells: [0a1b2c3d, '12345678']",
      "    inputs: abc",
      "    version: 1",
      "  jupytext:",
      "    formats: ipynb,py:percent",
      "    text_representation:",
      "      extension: .py",
      "      format_version: '1.3'",
      "  kernelspec:",
      "    display_name: Python 3 (ipykernel)",
      "    language: python",
      "    name: python3",
    ]);
  });
});
