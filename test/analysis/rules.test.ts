/** Unit tests of the pieces behind the rules: the Python scanner, secrets, causes of undefined names, reorder. */
import { beforeAll, describe, expect, it } from "vitest";
import { checkNotebook, findRule, planReorder, RULES, runChecks } from "../../src/analysis/index.js";
import { findSecrets, redact } from "../../src/analysis/rules/secrets.js";
import { callArguments, scanPython } from "../../src/analysis/source.js";
import type { CodeCell, Notebook } from "../../src/notebook/types.js";
import { initPython } from "../../src/python/index.js";

function nb(
  cells: (string | { source: string; count?: number | null; outputs?: unknown[]; tags?: string[] })[],
): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "python3", language: "python" },
      language_info: { name: "python", version: "3.11" },
    },
    cells: cells.map((c, i): CodeCell => {
      const spec = typeof c === "string" ? { source: c } : c;
      return {
        cell_type: "code",
        id: `c${i}`,
        metadata: spec.tags ? { tags: spec.tags } : {},
        source: spec.source,
        execution_count: spec.count ?? null,
        outputs: (spec.outputs ?? []) as CodeCell["outputs"],
      };
    }),
  };
}

const codes = (n: Notebook, select?: string[]) =>
  checkNotebook(n, select ? { select } : {}).map((f) => `${f.code}@${f.cell}:${f.line}:${f.column}`);

beforeAll(async () => {
  await initPython();
});

describe("scanPython", () => {
  it("blanks strings, comments and IPython lines without moving offsets", () => {
    const src = "x = 'a#b'  # note\n!pip install y\ns = r'''\n(\n'''  # end\nf(\"(\")";
    const s = scanPython(src);
    expect(s.code).toHaveLength(src.length);
    expect(s.code).not.toContain("note");
    expect(s.code).not.toContain("pip");
    expect(s.strings.map((x) => x.value)).toEqual(["a#b", "\n(\n", "("]);
    expect(s.comments.map((c) => c.text)).toEqual(["# note", "# end"]);
    expect(s.magicLines.map((m) => [m.text, m.line])).toEqual([["!pip install y", 2]]);
    const open = s.code.lastIndexOf("(");
    expect(callArguments(s.code, open)?.text.trim()).toBe("");
  });

  it("keeps escaped quotes inside strings", () => {
    const s = scanPython('a = "say \\"hi\\""; b = 1');
    expect(s.strings).toHaveLength(1);
    expect(s.code).toContain("b = 1");
  });
});

describe("secrets", () => {
  it("finds cloud keys, tokens, connection-string passwords and private keys; ignores placeholders", () => {
    const text = [
      "key = 'AKIAIOSFODNN7EXAMPLE'",
      "tok = 'ghp_0123456789abcdefghijABCDEFGHIJ012345'",
      "url = 'mysql://root:Hunter2pass@localhost/db'",
      "-----BEGIN RSA PRIVATE KEY-----",
      "url2 = 'postgresql://user:$PASSWORD@host/db'",
      "password = 'changeme'",
      "api_key = 'Xk29_fjw83KSle0q'",
    ].join("\n");
    const kinds = findSecrets(text).map((h) => h.kind);
    expect(kinds).toEqual([
      "AWS access key id",
      "GitHub token",
      "password in a connection string",
      "private key",
      "hard-coded credential",
    ]);
  });

  it("never shows the whole secret", () => {
    expect(redact("AKIAIOSFODNN7EXAMPLE")).toBe("AKIA************");
    const f = checkNotebook(nb(["k = 'AKIAIOSFODNN7EXAMPLE'"]), { select: ["FL401"] });
    expect(f).toHaveLength(1);
    expect(JSON.stringify(f)).not.toContain("AKIAIOSFODNN7EXAMPLE");
    expect(f[0]!.excerpt).toBe("k = 'AKIA************'");
  });

  it("looks into printed outputs, not images", () => {
    const out = [
      { output_type: "stream", name: "stdout", text: ["token: xoxb-1234567890-abcdefghij\n"] },
      { output_type: "display_data", data: { "image/png": "AKIAIOSFODNN7EXAMPLE" }, metadata: {} },
    ];
    const f = checkNotebook(nb([{ source: "print(t)", count: 1, outputs: out }]), { select: ["FL402"] });
    expect(f.map((x) => [x.code, x.output, x.line])).toEqual([["FL402", 0, 1]]);
    expect(f[0]!.message).toContain("Slack token");
  });
});

describe("undefined names: the likely cause", () => {
  const message = (n: Notebook) =>
    checkNotebook(n, { select: ["FL105"] }).map((f) => `${f.severity}: ${f.message}`);

  it("a deleted name", () => {
    expect(message(nb(["tmp = 1", "del tmp", "print(tmp)"]))[0]).toMatch(
      /^error: .*deleted by `del` in cell 2/,
    );
  });
  it("a star import above", () => {
    expect(message(nb(["from pylab import *", "plot([1])"]))[0]).toMatch(
      /^warning: .*`from pylab import \*` in cell 1/,
    );
  });
  it("a %run above", () => {
    expect(message(nb(["%run helpers.py", "helper()"]))[0]).toMatch(/^warning: .*`%run` in cell 1/);
  });
  it("a deleted cell, hinted by skipped counts", () => {
    expect(
      message(
        nb([
          { source: "a = 1", count: 1 },
          { source: "print(model)", count: 4 },
        ]),
      )[0],
    ).toMatch(/^error: .*deleted cell \(the execution counts skip numbers\)/);
  });
  it("not for IPython automagics", () => {
    expect(message(nb(["ls -la", "pwd"]))).toEqual([]);
  });
});

describe("order rules on hand-made notebooks", () => {
  it("reads through a helper function are followed (the function reads a global defined later)", () => {
    const n = nb(["def score(x):\n    return x * weight", "print(score(2))", "weight = 3"]);
    const f = checkNotebook(n, { select: ["FL104"] });
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain(
      "`weight` (read inside `score`, called here) is used before it is defined",
    );
  });

  it("a cell's tag suppresses a code for the whole cell; a line comment only its line", () => {
    const n = nb([{ source: "print(a)\nprint(b)", tags: ["fledge:ignore[FL104]"] }, "a = 1\nb = 2"]);
    expect(codes(n, ["FL104"])).toEqual([]);
    const m = nb(["print(a)  # fledge: ignore[FL104]\nprint(b)", "a = 1\nb = 2"]);
    expect(codes(m, ["FL104"])).toEqual(["FL104@0:2:7"]);
    const all = nb(["print(a)  # fledge: ignore", "a = 1"]);
    expect(codes(all, ["FL104"])).toEqual([]);
  });

  it("plans the reorder with the fewest moves and proves it", () => {
    // Cell 1 reads `later` from cell 3; cell 2 depends on cell 1. Moving cell 3 up is one move.
    const n = nb(["a = 1", "b = later + a", "c = b * 2", "later = 5", "print(c)"]);
    const { context } = runChecks(n);
    const plan = planReorder(context);
    expect(plan).toEqual({ order: [0, 3, 1, 2, 4], moved: [3] });
  });

  it("keeps a forward reader before the name's next redefinition", () => {
    // Cell 0 reads x, defined in cell 2 and again in cell 4: it must land between them.
    const n = nb(["print(x)", "y = 1", "x = 1", "print(x)", "x = 2"]);
    expect(planReorder(runChecks(n).context)).toEqual({ order: [1, 2, 0, 3, 4], moved: [0] });
  });
});

describe("stale outputs", () => {
  const out = [{ output_type: "stream", name: "stdout", text: "x\n" }];
  it("a re-run import does not make outputs stale; a re-run assignment does", () => {
    const reimport = nb([
      { source: "import math", count: 3 },
      { source: "print(math.pi)", count: 2, outputs: out },
    ]);
    expect(codes(reimport, ["FL106"])).toEqual([]);
    const reassigned = nb([
      { source: "k = 3", count: 3 },
      { source: "print(k)", count: 2, outputs: out },
    ]);
    expect(codes(reassigned, ["FL106"])).toEqual(["FL106@1:1:1"]);
  });

  it("ignores execution counts of 0, which tools write", () => {
    const zeros = nb([
      { source: "k = 3", count: 0 },
      { source: "print(k)", count: 0, outputs: out },
      { source: "k = 4", count: 0 },
    ]);
    expect(codes(zeros, ["FL106", "FL107"])).toEqual([]);
  });
});

describe("unseeded randomness through module aliases", () => {
  it("finds draws through an alias imported in another cell; a seed through the alias silences them", () => {
    expect(codes(nb(["import numpy.random as npr", "x = npr.rand(3)"]), ["FL201"])).toEqual(["FL201@1:1:5"]);
    expect(codes(nb(["import random as rnd", "k = rnd.randint(0, 9)"]), ["FL201"])).toEqual(["FL201@1:1:5"]);
    expect(codes(nb(["import numpy.random as npr\nnpr.seed(0)", "x = npr.rand(3)"]), ["FL201"])).toEqual([]);
  });
});

describe("registry", () => {
  it("has unique codes and names, each documented with an example", () => {
    expect(new Set(RULES.map((r) => r.code)).size).toBe(RULES.length);
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.code).toMatch(/^FL\d{3}$/);
      expect(r.example.length).toBeGreaterThan(3);
      expect(findRule(r.name)).toBe(r);
    }
  });
});
