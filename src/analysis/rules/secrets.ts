/**
 * Credentials in code and in stored outputs: cloud keys, tokens, passwords in connection strings, private keys.
 * Every message shows the secret redacted; the full value never leaves this module.
 */
import { joinMultiline } from "../../notebook/types.js";
import type { CheckContext } from "../context.js";
import { spanOf } from "../source.js";

interface SecretPattern {
  kind: string;
  /** Cheap pre-check: a substring the text must contain (checked case-insensitively when `anyCase`). */
  hint: string[];
  anyCase?: boolean;
  re: RegExp;
  /** Capture group holding the secret itself (0: the whole match). */
  group: number;
}

const PATTERNS: SecretPattern[] = [
  {
    kind: "AWS access key id",
    hint: ["AKIA", "ASIA", "AGPA", "AIDA", "AROA"],
    re: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b/g,
    group: 0,
  },
  {
    kind: "AWS secret access key",
    hint: ["secret"],
    anyCase: true,
    re: /aws_?secret_?(?:access_?)?key\w*["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1,
  },
  {
    kind: "GitHub token",
    hint: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
    re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})\b/g,
    group: 0,
  },
  { kind: "Slack token", hint: ["xox"], re: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, group: 0 },
  { kind: "Google API key", hint: ["AIza"], re: /\bAIza[0-9A-Za-z_-]{35}\b/g, group: 0 },
  { kind: "Stripe secret key", hint: ["k_live_"], re: /\b[sr]k_live_[0-9A-Za-z]{20,}\b/g, group: 0 },
  { kind: "OpenAI API key", hint: ["sk-"], re: /\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{32,}\b/g, group: 0 },
  { kind: "Anthropic API key", hint: ["sk-ant-"], re: /\bsk-ant-[A-Za-z0-9_-]{32,}\b/g, group: 0 },
  { kind: "Hugging Face token", hint: ["hf_"], re: /\bhf_[A-Za-z0-9]{30,}\b/g, group: 0 },
  {
    kind: "JSON web token",
    hint: ["eyJ"],
    re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
    group: 0,
  },
  {
    kind: "private key",
    hint: ["PRIVATE KEY"],
    re: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/g,
    group: 0,
  },
  {
    kind: "password in a connection string",
    hint: ["://"],
    re: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@'"]+:([^\s@'"/]{3,})@[\w.-]+/gi,
    group: 1,
  },
  {
    kind: "hard-coded credential",
    hint: ["pass", "pwd", "secret", "key", "token"],
    anyCase: true,
    re: /\b(?:password|passwd|pwd|secret|secret_key|api_key|apikey|api_token|access_token|auth_token|client_secret|private_token)\b["']?\s*[:=]\s*["']([^"'\s]{8,})["']/gi,
    group: 1,
  },
];

/**
 * Every pattern's hints in one regex (the `anyCase` ones matched ASCII case-insensitively, as the patterns
 * themselves are, by a class per letter — `[kK][eE][yY]` — so one scan serves both kinds): a text that contains
 * none of them — most code and nearly every output — is dismissed with one scan instead of a lowercased copy and a
 * dozen `includes` per pattern. Exact: each pattern's match contains one of its hints.
 */
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const anyCaseRe = (s: string) =>
  [...s].map((c) => (/[A-Za-z]/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : escapeRe(c))).join("");
const ANY_HINT = new RegExp(
  PATTERNS.flatMap((p) => p.hint.map((h) => (p.anyCase ? anyCaseRe(h) : escapeRe(h)))).join("|"),
);

/** Values that are clearly placeholders, not secrets. */
const PLACEHOLDER_RE =
  /^(?:<[^>]*>|\$\{?\w+\}?|\{\w*\}|%\(?\w*\)?s|x{3,}|\*{3,}|\.{3,}|(?:your|my|the)[-_ ]?\w*|password|passwd|secret|changeme|example\w*|dummy\w*|test\w*|placeholder|none|null|todo|redacted)$/i;

export interface SecretHit {
  kind: string;
  /** Offsets of the secret in the scanned text. */
  start: number;
  end: number;
  redacted: string;
}

export function redact(secret: string): string {
  const keep = secret.length >= 12 ? 4 : secret.length >= 6 ? 2 : 0;
  return `${secret.slice(0, keep)}${"*".repeat(Math.min(12, Math.max(4, secret.length - keep)))}`;
}

/** Outputs beyond this many characters are only scanned up to it (huge printed tables are not where keys hide). */
const MAX_SCAN = 200_000;

export function findSecrets(input: string): SecretHit[] {
  const text = input.length > MAX_SCAN ? input.slice(0, MAX_SCAN) : input;
  const hits: SecretHit[] = [];
  if (!ANY_HINT.test(text)) return hits;
  let lower: string | undefined;
  for (const p of PATTERNS) {
    if (p.anyCase && lower === undefined) lower = text.toLowerCase();
    const hay = p.anyCase ? lower! : text;
    if (!p.hint.some((h) => hay.includes(h))) continue;
    for (const m of text.matchAll(p.re)) {
      const secret = m[p.group] ?? m[0];
      if (p.group > 0 && PLACEHOLDER_RE.test(secret)) continue;
      if (p.kind === "hard-coded credential" && !looksRandom(secret)) continue;
      const start = m.index + (p.group > 0 ? m[0].indexOf(secret) : 0);
      if (hits.some((h) => start < h.end && start + secret.length > h.start)) continue;
      hits.push({ kind: p.kind, start, end: start + secret.length, redacted: redact(secret) });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** A generic `password = "…"` is only reported when the value is not an ordinary word. */
function looksRandom(value: string): boolean {
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
  return classes >= 2 && !/^[a-z_]+$/i.test(value);
}

/** The line of `text` around an offset, with the secret replaced by its redaction. */
function redactedLine(text: string, hit: SecretHit): string {
  const lineStart = text.lastIndexOf("\n", hit.start - 1) + 1;
  const lineEndRaw = text.indexOf("\n", hit.end);
  const lineEnd = lineEndRaw === -1 ? text.length : lineEndRaw;
  let line = text.slice(lineStart, hit.start) + hit.redacted + text.slice(hit.end, lineEnd);
  // Other secrets on the same line are redacted too.
  for (const other of findSecrets(line)) {
    if (other.redacted === hit.redacted) continue;
    line = line.slice(0, other.start) + other.redacted + line.slice(other.end);
  }
  line = line.replace(/\r$/, "");
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}

/** Text of an output that a person would see (streams, plain text, errors); images and HTML are skipped. */
export function outputText(output: Record<string, unknown>): string {
  if (output.output_type === "stream") return joinMultiline(output.text);
  if (output.output_type === "error") {
    const tb = Array.isArray(output.traceback) ? (output.traceback as unknown[]).map(String).join("\n") : "";
    return `${String(output.ename ?? "")}: ${String(output.evalue ?? "")}\n${tb}`;
  }
  const data = output.data as Record<string, unknown> | undefined;
  if (!data) return "";
  return ["text/plain", "application/json"].map((k) => (k in data ? joinMultiline(data[k]) : "")).join("\n");
}

export function checkSecrets(ctx: CheckContext): void {
  for (const c of ctx.code) {
    const source = c.scanned.source;
    for (const hit of findSecrets(source)) {
      ctx.report(
        "FL401",
        { cell: c.index, span: spanOf(c.scanned, hit.start, hit.end) },
        `${hit.kind} in the code (${hit.redacted}): revoke it and read it from an environment variable`,
        {
          excerpt: redactedLine(source, hit),
          fix: {
            kind: "suggestion",
            safe: false,
            description: "revoke the credential, then use os.environ[...] or a secrets manager",
          },
        },
      );
    }
    (c.cell.outputs ?? []).forEach((output, k) => {
      const text = outputText(output as Record<string, unknown>);
      if (text === "") return;
      const hits = findSecrets(text);
      if (hits.length === 0) return;
      const lineStarts = [0];
      for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
      for (const hit of hits) {
        const span = spanOf({ lineStarts }, hit.start, hit.end);
        ctx.report(
          "FL402",
          { cell: c.index, output: k, span },
          `${hit.kind} in output ${k + 1} of this cell (${hit.redacted}): revoke it and clear the output`,
          {
            excerpt: redactedLine(text, hit),
            fix: {
              kind: "suggestion",
              safe: false,
              description: "revoke the credential and clear the output",
            },
          },
        );
      }
    });
  }
}
