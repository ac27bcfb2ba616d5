/**
 * Import blocks written the way ruff's isort rules (I001) and pyflakes (F401) want them, so the lint pass
 * usually has nothing to fix (each fix round costs a format and a check). Sections: __future__, standard
 * library, third party, first party (the package); `import x` lines before `from x import …` lines, each
 * sorted by module; members ordered constants, classes, then the rest. Unused names are dropped.
 * Anything this gets wrong, ruff's own fix still corrects.
 */
import { isStdlib } from "./distributions.js";

interface ParsedImport {
  kind: "import" | "from";
  module: string;
  /** For `from`: members; for `import`: one entry with the alias. */
  names: { name: string; alias?: string }[];
}

function parseImport(line: string): ParsedImport[] | undefined {
  const text = line
    .replace(/#.*$/, "")
    .replace(/[()\\\n]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  let m = text.match(/^import (.+)$/);
  if (m) {
    const out: ParsedImport[] = [];
    for (const part of m[1]!.split(",")) {
      const [mod, alias] = part.trim().split(/ as /);
      if (!mod || !/^[\w.]+$/.test(mod)) return undefined;
      out.push({
        kind: "import",
        module: mod,
        names: [{ name: mod, ...(alias ? { alias: alias.trim() } : {}) }],
      });
    }
    return out;
  }
  m = text.match(/^from ([\w.]+) import (.+)$/);
  if (!m) return undefined;
  if (m[2]!.trim() === "*") return undefined;
  const names = m[2]!
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const [name, alias] = p.split(/ as /);
      return { name: name!.trim(), ...(alias ? { alias: alias.trim() } : {}) };
    });
  return [{ kind: "from", module: m[1]!, names }];
}

function memberRank(name: string): number {
  if (/^[A-Z0-9_]+$/.test(name) && name.length > 1) return 0; // CONSTANT
  if (/^[A-Z]/.test(name)) return 1; // Class
  return 2;
}

function section(module: string, pkg: string, pythonVersion: string): number {
  if (module === "__future__") return 0;
  const top = module.split(".")[0]!;
  if (top === pkg) return 3;
  return isStdlib(top, pythonVersion) ? 1 : 2;
}

/**
 * The import block for `lines` (import statements as text), keeping only what `used` (identifiers of the
 * module's code) needs. Lines that are not simple imports (star imports, odd forms) are kept as written.
 */
export function organizeImports(
  lines: string[],
  used: Set<string>,
  pkg: string,
  pythonVersion: string,
): string {
  const parsed: ParsedImport[] = [];
  const verbatim: string[] = [];
  for (const line of lines) {
    const p = parseImport(line);
    if (p) parsed.push(...p);
    else if (!verbatim.includes(line.trim())) verbatim.push(line.trim());
  }
  const sections: string[][] = [[], [], [], []];
  const straight = new Map<string, ParsedImport>();
  const from = new Map<string, Map<string, { name: string; alias?: string }>>();
  for (const p of parsed) {
    if (p.kind === "import") {
      const n = p.names[0]!;
      const bound = n.alias ?? n.name.split(".")[0]!;
      if (p.module !== "__future__" && !used.has(bound)) continue;
      straight.set(`${p.module} as ${n.alias ?? ""}`, p);
    } else {
      const members = from.get(p.module) ?? new Map();
      for (const n of p.names) {
        if (p.module !== "__future__" && !used.has(n.alias ?? n.name)) continue;
        members.set(`${n.name} as ${n.alias ?? ""}`, n);
      }
      from.set(p.module, members);
    }
  }
  const byModule = (a: string, b: string) => {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  };
  const straightSorted = [...straight.values()].sort(
    (a, b) => byModule(a.module, b.module) || byModule(a.names[0]!.alias ?? "", b.names[0]!.alias ?? ""),
  );
  for (const p of straightSorted) {
    const n = p.names[0]!;
    sections[section(p.module, pkg, pythonVersion)]!.push(
      `import ${p.module}${n.alias ? ` as ${n.alias}` : ""}`,
    );
  }
  for (const mod of [...from.keys()].sort(byModule)) {
    const members = [...from.get(mod)!.values()].sort(
      (a, b) =>
        memberRank(a.name) - memberRank(b.name) ||
        byModule(a.name, b.name) ||
        byModule(a.alias ?? "", b.alias ?? ""),
    );
    if (members.length === 0) continue;
    const list = members.map((n) => `${n.name}${n.alias ? ` as ${n.alias}` : ""}`).join(", ");
    sections[section(mod, pkg, pythonVersion)]!.push(`from ${mod} import ${list}`);
  }
  const blocks = sections.filter((s) => s.length > 0).map((s) => s.join("\n"));
  if (verbatim.length > 0) blocks.push(verbatim.join("\n"));
  return blocks.join("\n\n");
}

/** Identifiers in Python code, ignoring strings and comments (good enough to decide which imports are used). */
export function identifiersIn(code: string): Set<string> {
  const stripped = code
    .replace(/#[^\n]*/g, "")
    .replace(/("""|''')[\s\S]*?\1/g, "")
    .replace(/([rRbBuU]?)(["'])(?:\\.|(?!\2)[^\\\n])*\2/g, "");
  // f-strings: their expressions use names too — keep a coarse scan of {…} inside them.
  const fexprs = [...code.matchAll(/[fF][rR]?(["'])((?:\\.|(?!\1)[^\\\n])*)\1/g)].map((m) => m[2]).join(" ");
  return new Set(`${stripped} ${fexprs}`.match(/(?<![.\w])[A-Za-z_]\w*/g) ?? []);
}
