/** The data the scope walker produces: scopes (with complete binding sets) and ordered events. */
import type { SNode } from "./parser.js";
import type { Confidence, ModificationRule } from "./types.js";

export type ScopeKind = "module" | "class" | "function" | "lambda" | "comprehension" | "annotation";

export interface Scope {
  kind: ScopeKind;
  parent: Scope | null;
  name: string;
  /** Code of this scope runs while the cell runs (module, class bodies and comprehensions inside them). */
  immediate: boolean;
  locals: Set<string>;
  globals: Set<string>;
  nonlocals: Set<string>;
  /** The module-level function/class record this scope belongs to (for deferred scopes). */
  owner: Owner | null;
}

export interface Owner {
  name: string;
  kind: "function" | "class";
  node: SNode;
  /** Scopes whose uses count as the record's global reads. */
  scopes: Scope[];
}

export type Event =
  | { t: "use"; name: string; scope: Scope; node: SNode; stmt: number }
  | { t: "bind"; name: string; scope: Scope; node: SNode; stmt: number }
  | { t: "del"; name: string; scope: Scope; node: SNode; stmt: number }
  | { t: "call"; name: string; scope: Scope; node: SNode; stmt: number }
  | {
      t: "modify";
      name: string;
      scope: Scope;
      node: SNode;
      stmt: number;
      confidence: Confidence;
      reason: string;
      rule: ModificationRule;
    }
  | { t: "alias"; name: string; target: string; scope: Scope; stmt: number };
