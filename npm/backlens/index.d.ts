export interface SourceFile { path: string; text: string }
export interface Params {
  target?: 'api' | 'algorithms' | 'caching' | 'concurrency' | 'all';
  endpoints?: string | string[];
  load_profile?: 'low' | 'medium' | 'high';
  priority?: 'low' | 'medium' | 'high' | 'critical';
  /** Rules to run by id, or 'all': also those off by default (blind precision under 80 %). */
  rules?: string | string[];
  /** The seed's argument string(s): 'target:"api" load_profile:"high"'. */
  args?: string | string[];
  /** Cost-model parameters, as with --set. */
  settings?: Record<string, number | string> | [string, number | string][];
  /** A backlens.toml's text. */
  config?: string;
  docs_url?: string;
  /** A baseline (the text or the parsed object of a --write-baseline file). */
  baseline?: string | object;
  title?: string;
  date?: string;
  package_json?: string;
}
export interface Finding {
  rule: string; category: string; severity: 'low' | 'medium' | 'high' | 'critical';
  file: string; line: number; column: number; end_line: number; end_column: number;
  endpoint: string | null; message: string; estimate: Record<string, unknown>;
  before: string; after: string; fingerprint: string;
}
export interface Analysis {
  version: number; framework: string | null; frameworks: string[];
  files: { path: string; error: { line: number; column: number; message: string } | null }[];
  endpoints: { method: string; path: string; file: string; line: number; framework: string }[];
  findings: Finding[];
  suppressed: { finding: Finding; comment_line: number; reason: string | null }[];
  notices: { file: string; line: number; column: number; message: string }[];
  baseline?: { known: number; gone: { rule: string; file: string; fingerprint: string; line: number; message: string }[] };
  [key: string]: unknown;
}
export function analyze(files: SourceFile[] | Record<string, string>, params?: Params): Analysis;
export function report(files: SourceFile[] | Record<string, string>, params?: Params, format?: 'markdown' | 'json' | 'sarif' | 'text' | 'github'): string;
export function version(): string;
