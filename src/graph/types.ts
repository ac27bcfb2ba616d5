/**
 * Dataflow graph and workflow steps: the contract between graph/ (producer) and analysis/check,
 * map rendering and generate/extract (consumers). Plain data, serialisable to JSON.
 */
import type { Confidence, Span } from "../python/types.js";

/** An edge A → B: B reads (or modifies) names that A last defined or modified, in top-to-bottom order. */
export interface DataflowEdge {
  /** Cell index (in the notebook's full cell list) of the producer. */
  from: number;
  /** Cell index of the consumer. */
  to: number;
  names: string[];
  /** True when every name on the edge comes from a modification below the confidence threshold. */
  weak: boolean;
}

/** One link of a name's definition chain. */
export interface ChainLink {
  cell: number;
  kind: "define" | "modify" | "delete";
  confidence?: Confidence;
}

export interface DataflowGraph {
  /** Code cell indices, in notebook order. */
  nodes: number[];
  edges: DataflowEdge[];
  /** name → the cells that define / modify / delete it, in notebook order. */
  chains: Record<string, ChainLink[]>;
  /** Names read by a cell that no earlier cell defines, but a later one does: use before definition. */
  /** (`via`: the notebook function whose body reads the name, when the read happens through a call.) */
  forwardReads: { cell: number; name: string; span: Span; definedIn: number[]; via?: string }[];
  /** Names read by a cell and defined by no cell at all. */
  undefinedReads: { cell: number; name: string; span: Span; via?: string }[];
  /** Topological order of code cells, ties broken by original order. */
  order: number[];
  /** Cycles (only possible with hidden state), each a list of cell indices. */
  cycles: number[][];
}

/** A statement of a code cell, addressed by cell index and its position among the cell's top-level statements. */
export interface StatementRef {
  cell: number;
  /** Index into CellAnalysis.statements. */
  statement: number;
}

export type StepRole =
  | "load"
  | "clean"
  | "features"
  | "split"
  | "train"
  | "evaluate"
  | "predict"
  | "save"
  | "other";

export interface StepParameter {
  /** Python identifier used in params.yaml and as the function parameter: "data_path", "test_size", "random_state". */
  name: string;
  /** The literal as written in the notebook: "'data/churn.csv'", "0.2", "42". */
  literal: string;
  /** Its JSON-compatible value. */
  value: string | number | boolean | null | (string | number | boolean | null)[];
  kind: "path" | "seed" | "size" | "hyperparameter" | "columns" | "other";
  /** Where the literal stands. */
  cell: number;
  span: Span;
  /** Further places where the same literal stands for the same parameter (added by map, issue 5). */
  alsoAt?: { cell: number; span: Span }[];
}

export interface Step {
  /** Valid, unique snake_case identifier: "load_data", "clean_data", … */
  name: string;
  role: StepRole;
  /** Heading text the step came from, if any. */
  heading?: string;
  /** Markdown of the step's cells/heading, for the docstring. */
  description: string;
  /** Code cell indices whose statements (all or some) belong to the step. */
  cells: number[];
  /** Exactly which statements belong to the step, in order. */
  statements: StatementRef[];
  /** Names read from earlier steps. */
  inputs: string[];
  /** Names later steps read (including names this step modifies in place that later steps read). */
  outputs: string[];
  /** Names this step modifies in place that came from an earlier step. */
  modifies: string[];
  parameters: StepParameter[];
  /** Names read but defined nowhere (deleted cell, %run, star import): reported, never dropped. */
  unresolved: string[];
  /** Module names imported (by the statements in the step or needed by them). */
  imports: string[];
  /** The names bound by imports that the step's statements (or the helpers they call) read (added by map). */
  importedNames?: string[];
  /** Notebook functions/classes this step uses (defined in the step or shared helpers). */
  helpers: string[];
  /** Result statements of this step (files written, metrics, predictions). */
  results: StatementRef[];
}

export interface WorkflowMap {
  steps: Step[];
  /** Statements that only show something to the person; they stay in the companion notebook. */
  exploration: StatementRef[];
  /** Functions/classes used by more than one step. */
  sharedHelpers: string[];
  /** How the segmentation was chosen: headings at level N, or dataflow cuts, or a user steps.yaml. */
  strategy: { kind: "headings"; level: number } | { kind: "dataflow" } | { kind: "user" };
  graph: DataflowGraph;
  /** Step → step data flow: the names `to` takes from `from` (added by map, issue 5). */
  edges?: { from: string; to: string; names: string[] }[];
  /** Problems found while mapping: names read but defined nowhere above (added by map, issue 5). */
  findings?: WorkflowMapFinding[];
}

/**
 * A problem of the map, reported (never dropped): a step input nothing above provides, or a cell whose body is
 * not Python (%%bash, %%writefile…) and so is left out of the steps.
 */
export interface WorkflowMapFinding {
  code: "undefined-name" | "used-before-defined" | "non-python-cell";
  severity: "warning";
  /** The step concerned ("" for a non-Python cell, which belongs to no step). */
  step: string;
  /** Internal: index of the step while the map is built. */
  stepIndex?: number;
  name: string;
  cell: number;
  span: Span;
  message: string;
}
