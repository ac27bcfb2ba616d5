/** IPython syntax masking: what is recognised, what is bound, and that kept Python keeps its exact position. */
import { describe, expect, it } from "vitest";
import { maskIPython } from "../../src/python/ipython.js";

/** The masked text at (1-based line, column) starts with `text`. */
function at(masked: string, line: number, column: number, text: string): void {
  const row = masked.split("\n")[line - 1] ?? "";
  expect(row.slice(column - 1, column - 1 + text.length)).toBe(text);
}

describe("maskIPython", () => {
  it("leaves plain Python (with !=, %, ? in strings) untouched", () => {
    const src =
      'ok = a != b\nrem = a % b\nq = "what?"\ns = "!ls"\nt = """\n%not a magic\n!nor this\n"""\nu = f(x,\n  !y)';
    const m = maskIPython(src);
    expect(m.magics).toEqual([]);
    expect(m.masked).toBe(src);
  });

  it("masks line magics, shell escapes and help as `pass`, keeping indentation", () => {
    const src =
      "%matplotlib inline\n!pip install pandas==2.0\nif x:\n    !echo {x}\n    %env A=1\nobj?\nobj.attr??\n?obj\n%pinfo?";
    const m = maskIPython(src);
    expect(m.magics.map((g) => [g.kind, g.name, g.args])).toEqual([
      ["line-magic", "matplotlib", "inline"],
      ["shell", "pip", "pip install pandas==2.0"],
      ["shell", "echo", "echo {x}"],
      ["line-magic", "env", "A=1"],
      ["help", "pinfo", "obj"],
      ["help", "pinfo2", "obj.attr"],
      ["help", "pinfo", "obj"],
      ["help", "pinfo", "%pinfo"],
    ]);
    const rows = m.masked.split("\n");
    expect(rows[0]!.trimEnd()).toBe("pass");
    expect(rows[3]!.trimEnd()).toBe("    pass");
    expect(rows[4]!.trimEnd()).toBe("    pass");
    expect(m.magics[2]!.span).toEqual({ line: 4, column: 5, endLine: 4, endColumn: 14 });
    expect(m.magicRows.get(3)).toBe(2);
  });

  it("keeps assignment forms binding their target", () => {
    const m = maskIPython("files = !ls -la\nenv = %env\na, b = !echo 1 2");
    expect(m.magics.map((g) => [g.kind, g.name, g.assignedTo])).toEqual([
      ["shell", "ls", "files"],
      ["line-magic", "env", "env"],
      ["shell", "echo", "a, b"],
    ]);
    at(m.masked, 1, 1, "files = 0");
    at(m.masked, 3, 1, "a, b = 0");
    expect(m.magics[0]!.span.column).toBe(9);
  });

  it("keeps the statement of %time/%timeit/%prun at its real column", () => {
    const m = maskIPython("%time y = f(x)\n%timeit -n 10 -r 3 g(y)\n%prun -s cumulative h()");
    at(m.masked, 1, 7, "y = f(x)");
    at(m.masked, 2, 20, "g(y)");
    at(m.masked, 3, 21, "h()");
    expect(m.masked.split("\n")[0]).toMatch(/^pass\s*;y = f\(x\)$/);
  });

  it("reports a compound statement after %timeit instead of producing invalid Python", () => {
    const m = maskIPython("%timeit for i in range(3): pass");
    expect(m.masked.trimEnd()).toBe("pass");
    expect(m.diagnostics[0]).toMatchObject({ code: "magic-statement-not-analysed", severity: "warning" });
  });

  it("joins backslash-continued shell commands and blanks their continuation lines", () => {
    const m = maskIPython("!pip install \\\n    numpy \\\n    pandas\nx = 1");
    expect(m.magics[0]!.args).toBe("pip install numpy pandas");
    expect(m.magics[0]!.span).toMatchObject({ line: 1, endLine: 3 });
    expect(m.masked.split("\n")).toEqual([expect.stringMatching(/^pass/), "", "", "x = 1"]);
  });

  it("analyses %%time/%%capture bodies and blanks other cell magics", () => {
    const time = maskIPython("\n%%time\nx = 1");
    expect(time.cellMagic).toMatchObject({ kind: "cell-magic", name: "time", bodyIsPython: true });
    expect(time.masked.split("\n")[2]).toBe("x = 1");
    const cap = maskIPython("%%capture --no-stderr out\ny = 2");
    expect(cap.cellMagic).toMatchObject({ name: "capture", assignedTo: "out", bodyIsPython: true });
    at(cap.masked, 1, 23, "out=0");
    const bash = maskIPython("%%bash\nls -la\nx = $(pwd)");
    expect(bash.cellMagic).toMatchObject({ name: "bash", bodyIsPython: false });
    expect(bash.cellMagic!.span).toMatchObject({ line: 1, endLine: 3 });
    expect(bash.masked.split("\n")).toEqual([expect.stringMatching(/^pass/), "", ""]);
    const wf = maskIPython("%%writefile out.py\nimport os");
    expect(wf.cellMagic).toMatchObject({ name: "writefile", args: "out.py", bodyIsPython: false });
  });

  it("records the Python names a command interpolates with {…}", () => {
    const m = maskIPython(
      '!pip install {pkg}=={ver}\n!awk "{print $1}" {{literal}} {path.name} $HOME\n%cd {dirs[0]}',
    );
    expect(m.magics.map((g) => g.expands)).toEqual([["pkg", "ver"], ["path"], ["dirs"]]);
  });

  it("accepts CRLF and CR line breaks", () => {
    const m = maskIPython("!ls\r\nx = 1\ry = 2");
    expect(m.masked.split("\n")).toEqual([expect.stringMatching(/^pass/), "x = 1", "y = 2"]);
    expect(maskIPython("a = 1\r\nb = 2").masked).toBe("a = 1\nb = 2");
  });

  it("does not treat magic-looking lines inside brackets or continuations as magics", () => {
    const src = "x = (1 +\n%2)\ny = 1 + \\\n!3";
    expect(maskIPython(src).magics).toEqual([]);
  });
});
