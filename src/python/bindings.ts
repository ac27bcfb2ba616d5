/**
 * Binding forms with their own syntax: imports (which names they bind, the ImportRecord) and `match`
 * patterns (captures bind, value and class patterns read). Functions over the Walker of scopes.ts.
 */
import {
  childByField as field,
  childrenByField as fields,
  namedChildren as named,
  type SNode,
} from "./parser.js";
import type { Scope } from "./scope-model.js";
import type { Walker } from "./scopes.js";
import type { ImportRecord } from "./types.js";

export function importStatement(w: Walker, n: SNode, scope: Scope): void {
  const record: ImportRecord = { module: "", names: [], star: false, binds: [], span: w.spanOf(n) };
  const bindImported = (id: SNode | undefined, name: string) => {
    if (!id) return;
    record.binds.push(name);
    w.importBound.add(name);
    w.bindName(name, id, scope);
  };
  if (n.type === "import_statement") {
    for (const c of fields(n, "name")) {
      const imp: ImportRecord = { ...record, binds: [], names: [] };
      if (c.type === "aliased_import") {
        const dn = field(c, "name");
        const alias = field(c, "alias");
        imp.module = dn ? w.text(dn) : "";
        if (alias) imp.alias = w.text(alias);
        if (alias) {
          imp.binds.push(w.text(alias));
          w.importBound.add(w.text(alias));
          w.bindName(w.text(alias), alias, scope);
        }
      } else {
        imp.module = w.text(c);
        const first = named(c)[0];
        if (first) {
          imp.binds.push(w.text(first));
          w.importBound.add(w.text(first));
          w.bindName(w.text(first), first, scope);
        }
      }
      if (scope === w.module) w.imports.push(imp);
    }
    return;
  }
  const mod = field(n, "module_name");
  record.module = n.type === "future_import_statement" ? "__future__" : mod ? w.text(mod) : "";
  for (const c of n.children) {
    if (c.type === "wildcard_import") {
      record.star = true;
      if (scope === w.module) w.starImport = true;
    } else if (c.field === "name") {
      if (c.type === "aliased_import") {
        const dn = field(c, "name");
        const alias = field(c, "alias");
        const nm = dn ? w.text(dn) : "";
        record.names.push(alias ? { name: nm, alias: w.text(alias) } : { name: nm });
        bindImported(alias, alias ? w.text(alias) : nm);
      } else {
        const nm = w.text(c);
        record.names.push({ name: nm });
        if (nm === "annotations" && record.module === "__future__") w.futureAnnotations = true;
        bindImported(named(c)[0] ?? c, nm);
      }
    }
  }
  if (scope === w.module) w.imports.push(record);
}

export function matchPattern(w: Walker, n: SNode, scope: Scope): void {
  switch (n.type) {
    case "dotted_name": {
      const parts = named(n);
      if (parts.length === 1) w.bind(parts[0]!, scope);
      else if (parts[0]) w.use(parts[0], scope);
      return;
    }
    case "identifier":
      w.bind(n, scope);
      return;
    case "class_pattern": {
      const [cls, ...rest] = named(n);
      if (cls) {
        const first = cls.type === "dotted_name" ? named(cls)[0] : cls;
        if (first) w.use(first, scope);
      }
      for (const r of rest) matchPattern(w, r, scope);
      return;
    }
    case "keyword_pattern": {
      const [, ...rest] = named(n);
      for (const r of rest) matchPattern(w, r, scope);
      return;
    }
    case "dict_pattern":
      for (const c of named(n)) {
        if (c.field === "key") {
          if (c.type === "dotted_name") matchPattern(w, c, scope);
        } else matchPattern(w, c, scope);
      }
      return;
    case "string":
    case "concatenated_string":
    case "integer":
    case "float":
    case "complex_pattern":
    case "none":
    case "true":
    case "false":
      return;
    default:
      for (const c of named(n)) matchPattern(w, c, scope);
  }
}
