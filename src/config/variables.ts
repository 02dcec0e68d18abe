/**
 * Variables: Handlebars evaluated on parsed string values only (never on file text, so a value can never inject
 * structure). Only our helpers exist (`env`, `file`); the template language is restricted to plain variable names,
 * those two helpers with literal arguments, comments and `\{{` escapes, which is checked on the Handlebars syntax tree
 * before anything runs. That checked syntax tree is then evaluated directly (text, comments, variables from a
 * null-prototype map, the two helpers) — no template is compiled to code, so nothing else can run.
 */
import dotenv from 'dotenv';
import Handlebars from 'handlebars';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import type { Diagnostic, SourcePos } from '../core/types.js';
import { FileReadError, readFileBounded } from '../io/files.js';
import { FileAccess, keptOut, outsideMessage } from './confine.js';
import { didYouMean } from './schema.js';
import { decodeText, displayName, FORBIDDEN_KEYS, ParseFailure, parseText, readFailureText, readTextFile, type ParsedFile, type ParseLimits } from './parse.js';

/** A variable declared in a file's `variables:` block. */
export interface VariableDecl {
  name: string;
  /** Default value: a scalar; a string default may use the `env` and `file` helpers (not other variables). */
  default?: string | number | boolean;
  sensitive: boolean;
  /**
   * True when the declaration says `sensitive:` itself (true or false). Without it, a variable whose default reads
   * the environment is sensitive (see `resolveVariables`); `sensitive: false` is how a file says such a value is not.
   */
  sensitiveDeclared: boolean;
  description?: string;
  /** Absolute path of the declaring file (the `file` helper in a default is relative to it). */
  abs: string;
  pos: SourcePos;
}

/** A variable's final value. */
export interface VariableValue {
  /** Undefined when the variable is declared without default and nobody gave a value. */
  value?: string;
  sensitive: boolean;
  /** Where the value came from, for messages: `env` is a `KICKSTAND_VAR_<name>` environment variable. */
  source: 'default' | 'env' | 'var-file' | 'var' | 'none';
  decl?: VariableDecl;
}

/** Names usable as variables: identifiers, not our helper names, nothing that could reach a prototype. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(['env', 'file', 'this', 'true', 'false', 'null', 'undefined', ...FORBIDDEN_KEYS]);

/** Why a name cannot be a variable, or undefined when it can. */
export function badVariableName(name: string): string | undefined {
  if (!VARIABLE_NAME.test(name)) return `"${name}" is not a valid variable name (letters, digits and _; not starting with a digit)`;
  if (RESERVED.has(name)) return `"${name}" is reserved and cannot be a variable name`;
  return undefined;
}

const UNSAFE_SCALAR = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Read the `variables:` block of each parsed file. Reports bad names, bad shapes and a variable declared twice. */
export function collectDeclarations(files: ParsedFile[]): { decls: Map<string, VariableDecl>; diagnostics: Diagnostic[] } {
  const decls = new Map<string, VariableDecl>();
  const diagnostics: Diagnostic[] = [];
  for (const f of files) {
    const doc = f.value;
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) continue;
    const block = doc.variables;
    if (block === undefined || block === null) continue;
    const blockPos = f.positions.get('variables') ?? { file: f.file, line: 1, column: 1 };
    if (typeof block !== 'object' || Array.isArray(block)) {
      diagnostics.push({ severity: 'error', message: 'variables must be a mapping of variable names to defaults or { default, sensitive, description }', where: { ...blockPos, path: 'variables' } });
      continue;
    }
    for (const [name, spec] of Object.entries(block)) {
      const path = `variables.${name}`;
      const pos = f.positions.get(path) ?? blockPos;
      const where = { ...pos, path };
      const bad = badVariableName(name);
      if (bad) {
        diagnostics.push({ severity: 'error', message: bad, where });
        continue;
      }
      const decl: VariableDecl = { name, sensitive: false, sensitiveDeclared: false, abs: f.abs, pos };
      if (UNSAFE_SCALAR(spec)) decl.default = spec;
      else if (spec === null) {
        // `name:` with nothing after it: declared, no default.
      } else if (typeof spec === 'object' && !Array.isArray(spec)) {
        if (spec.default !== undefined && spec.default !== null) {
          if (!UNSAFE_SCALAR(spec.default)) {
            diagnostics.push({ severity: 'error', message: 'a variable default must be a string, number or boolean', where: { ...(f.positions.get(`${path}.default`) ?? pos), path: `${path}.default` } });
            continue;
          }
          decl.default = spec.default;
        }
        if (spec.sensitive !== undefined && typeof spec.sensitive !== 'boolean') {
          diagnostics.push({ severity: 'error', message: 'sensitive must be true or false', where: { ...(f.positions.get(`${path}.sensitive`) ?? pos), path: `${path}.sensitive` } });
          continue;
        }
        decl.sensitive = spec.sensitive === true;
        decl.sensitiveDeclared = spec.sensitive !== undefined;
        if (typeof spec.description === 'string') decl.description = spec.description;
      } else {
        diagnostics.push({ severity: 'error', message: 'a variable is a default value (string, number, boolean) or { default, sensitive, description }', where });
        continue;
      }
      const prev = decls.get(name);
      if (prev) {
        diagnostics.push({ severity: 'error', message: `variable "${name}" is declared twice: here and at ${prev.pos.file}:${prev.pos.line}:${prev.pos.column}`, where });
        continue;
      }
      decls.set(name, decl);
    }
  }
  return { decls, diagnostics };
}

/**
 * Whether a variable file is read as dotenv (`NAME=value` lines), decided by its name: `.env`, `.env.<anything>`
 * (`.env.production`) and `<anything>.env` (`prod.env`) are dotenv, unless the name ends in `.json`, `.yaml` or
 * `.yml`, which always mean JSON or YAML. Every other file is YAML (which JSON is a subset of) or, ending in `.json`,
 * strict JSON. Why by name: the two formats overlap (`A: 1` is YAML, `A=1` a YAML string), so the content cannot
 * decide, and these are the names dotenv tools use.
 */
export function isDotenvFile(path: string): boolean {
  const name = basename(path).toLowerCase();
  if (/\.(json|ya?ml)$/.test(name)) return false;
  return name === '.env' || name.startsWith('.env.') || name.endsWith('.env');
}

/** What one `--var-file` gave. */
export interface VarFileValues {
  /** The file as messages name it. */
  file: string;
  /** Values by name, every entry of the file (declared or not; `resolveVariables` decides). */
  values: Map<string, string>;
  /** True for a dotenv file: it may hold other programs' settings, so undeclared names are expected there. */
  dotenv: boolean;
  /** Where each name is written (YAML and JSON files). */
  positions: Map<string, SourcePos>;
}

/**
 * Read one `--var-file`: a dotenv file (see `isDotenvFile`), parsed by the `dotenv` package as dotenv tools parse it
 * (`export` prefixes, `#` comments, single, double and backtick quotes, multi-line double-quoted values, `\\n` in
 * double quotes, `"v" # comment`; lines that are not `NAME=value` are skipped), or a YAML or JSON mapping of names to
 * strings, numbers and booleans. Throws `ParseFailure` for a YAML or JSON file that is not such a mapping.
 */
export async function readVarFile(abs: string, limits: ParseLimits): Promise<{ vars: VarFileValues; diagnostics: Diagnostic[] }> {
  const text = await readTextFile(abs, limits, 'variable file');
  const file = displayName(abs);
  if (isDotenvFile(abs)) {
    // dotenv's parser is linear in the text (measured: 100,000 unterminated quoted lines in ~70 ms).
    const parsed = dotenv.parse(text);
    return { vars: { file, values: new Map(Object.entries(parsed)), dotenv: true, positions: new Map() }, diagnostics: [] };
  }
  const f = parseText(text, abs, limits, { expected: 'a mapping of variable names to values (for NAME=value lines, name the file .env, .env.<name> or <name>.env)' });
  const vars: VarFileValues = { file: f.file, values: new Map(), dotenv: false, positions: new Map() };
  const diagnostics: Diagnostic[] = [];
  if (f.value === null) return { vars, diagnostics };
  if (typeof f.value !== 'object' || Array.isArray(f.value)) {
    throw new ParseFailure([{ severity: 'error', message: 'a variable file is a mapping of names to values', where: { file: f.file } }]);
  }
  for (const [name, v] of Object.entries(f.value)) {
    const pos = f.positions.get(name) ?? { file: f.file, line: 1, column: 1 };
    const where = { ...pos, path: name };
    const bad = badVariableName(name);
    if (bad) diagnostics.push({ severity: 'error', message: bad, where });
    else if (!UNSAFE_SCALAR(v)) diagnostics.push({ severity: 'error', message: 'a variable value must be a string, number or boolean', where });
    else {
      vars.values.set(name, String(v));
      vars.positions.set(name, pos);
    }
  }
  return { vars, diagnostics };
}

/** The prefix of environment variables that set kickstand variables (`KICKSTAND_VAR_region=eu`), as Terraform's `TF_VAR_`. */
export const ENV_VAR_PREFIX = 'KICKSTAND_VAR_';

/** The declared names, for messages: sorted, at most 20 shown. */
function declaredList(decls: Map<string, VariableDecl>): string {
  const names = [...decls.keys()].sort();
  if (names.length === 0) return 'no variables are declared in these files';
  return `declared: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ` and ${names.length - 20} more` : ''}`;
}

/** What a template string uses, found on its syntax tree before it runs. */
interface TemplateUse {
  vars: string[];
  env: Array<{ name: string; hasDefault: boolean }>;
  files: string[];
  /** True when the string is exactly one `{{…}}` expression (whitespace around allowed). */
  single: boolean;
  /** The checked syntax tree (after Handlebars' whitespace control), evaluated by `evaluate`. */
  nodes: HbNode[];
}

/** A node of a Handlebars syntax tree (the fields kickstand reads). */
export type HbNode = { type: string; [k: string]: unknown };

const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names that Handlebars reads as something other than a variable (literals, `this`, `else`) or that are helpers. */
const NOT_SIMPLE = new Set(['true', 'false', 'null', 'undefined', 'this', 'else', 'env', 'file']);

/**
 * The syntax tree Handlebars' parser gives for the commonest template shape — text and plain `{{name}}` expressions
 * only — built without running that parser; `undefined` for anything else (the caller then uses `Handlebars.parse`).
 * Accepted only when the text holds no `{`, `}`, `\` or `~` outside the expressions and each name is a plain
 * identifier that Handlebars does not treat specially, so there are no escapes, whitespace control, literals or
 * helpers: exactly the shape of such a string's tree (test/config/template-fast.test.ts compares the two). why: the
 * Handlebars parser took ~15 µs per string, most of the load of a file with a templated URL in each of 4,800
 * applications.
 */
export function parseSimpleTemplate(source: string): HbNode[] | undefined {
  const nodes: HbNode[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    const text = open === -1 ? source.slice(i) : source.slice(i, open);
    if (/[{}\\~]/.test(text)) return undefined;
    if (text !== '') nodes.push({ type: 'ContentStatement', original: text, value: text });
    if (open === -1) break;
    const close = source.indexOf('}}', open + 2);
    if (close === -1) return undefined;
    const name = source.slice(open + 2, close);
    if (!SIMPLE_NAME.test(name) || NOT_SIMPLE.has(name)) return undefined;
    nodes.push({
      type: 'MustacheStatement',
      path: { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name },
      params: [],
      escaped: true,
      strip: { open: false, close: false },
    });
    i = close + 2;
  }
  return nodes;
}

/** Check a template's syntax tree against the allowed subset; returns what it uses or an error message. */
function analyse(source: string): TemplateUse | string {
  let ast: { body: HbNode[] };
  const simple = parseSimpleTemplate(source);
  if (simple) {
    ast = { body: simple };
  } else {
    try {
      ast = Handlebars.parse(source) as unknown as { body: HbNode[] };
    } catch (e) {
      // Handlebars marks the failing character with a line of dashes and a caret under the template text.
      const caret = /\n(-*)\^/.exec(String((e as Error).message));
      const at = caret ? ` at character ${caret[1]!.length + 1}` : '';
      return `template syntax error${at}: a {{…}} expression is unclosed or malformed; write \\{{ for a literal {{`;
    }
  }
  const use: TemplateUse = { vars: [], env: [], files: [], single: false, nodes: ast.body };
  let mustaches = 0;
  let otherText = false;
  for (const node of ast.body) {
    if (node.type === 'ContentStatement') {
      if (String(node.value).trim() !== '') otherText = true;
      continue;
    }
    if (node.type === 'CommentStatement') continue;
    if (node.type === 'BlockStatement') return 'block helpers ({{#…}}) are not available; only variables and the env and file helpers are';
    if (node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') return 'partials ({{> …}}) are not available; use the file helper to include a file';
    if (node.type !== 'MustacheStatement') return `${node.type} is not available in kickstand templates`;
    mustaches++;
    const path = node.path as HbNode & { parts?: string[]; original?: string; data?: boolean; depth?: number };
    const params = (node.params ?? []) as HbNode[];
    const hash = node.hash as { pairs?: unknown[] } | undefined;
    if (path.type !== 'PathExpression') return 'only variable names and the env and file helpers can be used in {{…}}';
    const original = String(path.original ?? '');
    if (path.data || (path.depth ?? 0) > 0 || (path.parts ?? []).length !== 1 || original !== path.parts![0]) {
      return `"${original}" is not a variable name; only plain names (no dots, @, this or ../) are available`;
    }
    const name = original;
    if (hash && (hash.pairs ?? []).length > 0) return `{{${name}}} takes no name=value arguments`;
    if (params.some((p) => p.type === 'SubExpression')) return 'sub-expressions ((…)) are not available';
    if (name === 'env') {
      if (params.length < 1 || params.length > 2) return 'env takes a variable name and an optional default: {{env "NAME" "default"}}';
      if (params[0]!.type !== 'StringLiteral') return 'env takes the variable name as a quoted string: {{env "NAME"}}';
      if (params[1] && !['StringLiteral', 'NumberLiteral', 'BooleanLiteral'].includes(params[1].type)) return 'the env default must be a literal: {{env "NAME" "default"}}';
      use.env.push({ name: String(params[0]!.value), hasDefault: params.length === 2 });
    } else if (name === 'file') {
      if (params.length !== 1 || params[0]!.type !== 'StringLiteral') return 'file takes one quoted relative path: {{file "sms/verify.ftl"}}';
      use.files.push(String(params[0]!.value));
    } else {
      if (params.length > 0) return `unknown helper "${name}"; the helpers are env and file`;
      if (FORBIDDEN_KEYS.has(name)) return `"${name}" is not a variable name`;
      use.vars.push(name);
    }
  }
  use.single = mustaches === 1 && !otherText;
  return use;
}

/** Options for rendering templates. */
export interface RenderContext {
  /** Variable values by name; undefined value = declared without a value. */
  vars: Map<string, VariableValue>;
  env: Record<string, string | undefined>;
  limits: ParseLimits;
  /** Contents of files read by the `file` helper, by absolute path (filled by `prepareFiles`). */
  fileCache: Map<string, string>;
  /** Where the `file` helper may read; default: each file's own folder, nothing outside it. */
  fileAccess?: FileAccess;
}

/** The result of rendering one string. */
export type RenderResult =
  | {
      ok: true;
      value: string;
      single: boolean;
      changed: boolean;
      /** The value holds a sensitive variable's value or a value read from the environment: mask it by path. */
      sensitive: boolean;
      /** The values `{{env}}` read from the environment (not defaults): secrets of the run, masked in every output. */
      envValues: string[];
    }
  | { ok: false; message: string };

class HelperError extends Error {}

/**
 * Evaluate a syntax tree `analyse` accepted: text as parsed (escapes and `~` whitespace control already applied by
 * Handlebars' parser), comments as nothing, `{{name}}` as the variable's value, `{{env "N" default}}` and
 * `{{file "rel"}}` through the helpers — what Handlebars' compiled template does for this subset with `noEscape` and
 * `strict`. Why not compile: generating and compiling a function per distinct string cost ~0.2 ms each, most of the
 * load time of a file with thousands of templated values (a redirect URL per application).
 */
function evaluate(nodes: HbNode[], context: Record<string, string>, helpers: { env(name: string, def?: string): string; file(rel: string): string }): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'ContentStatement') {
      out += String(node.value);
    } else if (node.type === 'MustacheStatement') {
      const name = String((node.path as { original?: unknown }).original);
      const params = ((node.params ?? []) as HbNode[]).map((p) => String(p.value));
      if (name === 'env') out += helpers.env(params[0]!, params[1]);
      else if (name === 'file') out += helpers.file(params[0]!);
      else {
        const v = context[name];
        if (v === undefined) throw new HelperError(`"${name}" not defined`);
        out += v;
      }
    }
    // CommentStatement: nothing. Every other node type was rejected by analyse.
  }
  return out;
}

/**
 * Load the files a template uses with the `file` helper (relative to `baseAbs`, the file holding the template) into
 * the cache. Returns an error message when one is outside the configuration's tree (see confine.ts), missing, not a
 * regular file, too big or not text. The confinement is checked on every use, cached or not: the same file may be in
 * one configuration file's tree and outside another's.
 */
async function prepareFiles(use: TemplateUse, baseAbs: string, ctx: RenderContext): Promise<string | undefined> {
  const access = ctx.fileAccess ?? new FileAccess();
  for (const rel of use.files) {
    const abs = resolvePath(dirname(baseAbs), rel);
    const real = access.realPath(abs);
    const root = access.rootOf(baseAbs);
    if (keptOut(real, root, access.allowOutside)) return outsideMessage(`file "${rel}"`, abs, real, `${displayName(root)}, the folder of this configuration`);
    if (ctx.fileCache.has(abs)) continue;
    let bytes: Buffer;
    try {
      bytes = await readFileBounded(real, ctx.limits.maxFileBytes);
    } catch (e) {
      if (!(e instanceof FileReadError)) throw e;
      if (e.reason === 'missing') return `file "${rel}" does not exist (the file helper reads paths relative to ${displayName(baseAbs)})`;
      return `file "${rel}" ${readFailureText(e, real, ctx.limits.maxFileBytes)}`;
    }
    const decoded = decodeText(bytes);
    if ('problem' in decoded) return `file "${rel}" ${decoded.problem}${decoded.line === undefined ? '' : ` (line ${decoded.line}, column ${decoded.column})`}`;
    ctx.fileCache.set(abs, decoded.text);
  }
  return undefined;
}

/**
 * Render one string value. Strings without `{{` are returned unchanged without touching Handlebars (so FreeMarker
 * `${code}` and everything else passes through). `allowVars` is false for variable defaults, which may use the
 * helpers but not other variables.
 */
export async function renderString(source: string, baseAbs: string, ctx: RenderContext, allowVars = true): Promise<RenderResult> {
  if (!source.includes('{{')) return { ok: true, value: source, single: false, changed: false, sensitive: false, envValues: [] };
  const use = analyse(source);
  if (typeof use === 'string') return { ok: false, message: use };
  let sensitive = false;
  const context: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const name of use.vars) {
    if (!allowVars) return { ok: false, message: `a variable default cannot use another variable ("${name}"); only the env and file helpers` };
    const v = ctx.vars.get(name);
    if (!v) {
      const known = [...ctx.vars.keys()].sort();
      return { ok: false, message: `unknown variable "${name}"${known.length ? `; declared variables: ${known.join(', ')}` : '; no variables are declared'}` };
    }
    if (v.value === undefined) {
      const at = v.decl ? ` (declared at ${v.decl.pos.file}:${v.decl.pos.line} without a default)` : '';
      return { ok: false, message: `variable "${name}" has no value${at}; give one with --var ${name}=… or --var-file` };
    }
    if (v.sensitive) sensitive = true;
    context[name] = v.value;
  }
  for (const e of use.env) {
    if (!e.hasDefault && ctx.env[e.name] === undefined) return { ok: false, message: `environment variable ${e.name} is not set and {{env "${e.name}"}} gives no default` };
  }
  const fileErr = await prepareFiles(use, baseAbs, ctx);
  if (fileErr) return { ok: false, message: fileErr };
  // why: a pipeline's environment holds its secrets (`{{env "ANY_CI_SECRET"}}`), and plans are posted publicly; as
  // decK does, every value read from the environment is masked unless a variable declared `sensitive: false` says not.
  const envValues: string[] = [];
  const helpers = {
    env: (name: string, def?: string) => {
      const v = ctx.env[name];
      if (v !== undefined) {
        envValues.push(v);
        return v;
      }
      if (def !== undefined) return def;
      throw new HelperError(`environment variable ${name} is not set`);
    },
    file: (rel: string) => {
      const abs = resolvePath(dirname(baseAbs), rel);
      const text = ctx.fileCache.get(abs);
      if (text === undefined) throw new HelperError(`file "${rel}" was not loaded`);
      return text;
    },
  };
  try {
    const value = evaluate(use.nodes, context, helpers);
    return { ok: true, value, single: use.single, changed: true, sensitive: sensitive || envValues.length > 0, envValues };
  } catch (e) {
    return { ok: false, message: e instanceof HelperError ? e.message : `template error: ${(e as Error).message.split('\n')[0]}` };
  }
}

/** Inputs for resolving variable values. */
export interface ResolveInput {
  decls: Map<string, VariableDecl>;
  /** `--var-file` values in order (later wins). */
  varFiles: VarFileValues[];
  /** `--var` values (win over everything). */
  vars: Record<string, string>;
  /** The environment: for `{{env}}` in defaults and for `KICKSTAND_VAR_<name>` (below var files). */
  env: Record<string, string | undefined>;
  limits: ParseLimits;
  fileCache: Map<string, string>;
  /** Where the `file` helper in a default may read (see `RenderContext.fileAccess`). */
  fileAccess?: FileAccess;
}

/** A value given from outside the files, and where from. */
interface Given {
  value: string;
  source: 'env' | 'var-file' | 'var';
}

/**
 * Decide each declared variable's value. Sources, later wins, as Terraform orders its own: the declared default
 * (rendered with the helpers), then `KICKSTAND_VAR_<name>` environment variables, then each var file in order, then
 * `--var`. Only declared variables get values:
 * - a `--var` naming an undeclared variable is an error that names it, suggests the closest declared name and lists
 *   them (a misspelt `--var` was silently ignored and the plan said "No changes");
 * - an undeclared name in a YAML or JSON var file draws a warning; in a dotenv file (which usually holds other
 *   programs' settings too) only a name close to a declared one does (a likely typo); an undeclared
 *   `KICKSTAND_VAR_…` is ignored silently, as Terraform ignores an undeclared `TF_VAR_…`.
 * Values read from the environment (a default through `{{env}}`, a `KICKSTAND_VAR_…`) are sensitive unless the
 * declaration says `sensitive:` itself. Returns the values, the secret values of sensitive variables, errors (a
 * default that fails to render, a bad or undeclared `--var`) and warnings (a sensitive variable given with `--var`:
 * visible in the process list, as `--api-key` is; undeclared var-file names).
 */
export async function resolveVariables(input: ResolveInput): Promise<{ vars: Map<string, VariableValue>; secrets: string[]; diagnostics: Diagnostic[] }> {
  const { decls } = input;
  const vars = new Map<string, VariableValue>();
  const diagnostics: Diagnostic[] = [];
  const secrets: string[] = [];
  const given = new Map<string, Given>();
  for (const [key, value] of Object.entries(input.env)) {
    if (value === undefined || !key.startsWith(ENV_VAR_PREFIX)) continue;
    const name = key.slice(ENV_VAR_PREFIX.length);
    if (decls.has(name)) given.set(name, { value, source: 'env' });
  }
  for (const vf of input.varFiles) {
    for (const [name, value] of vf.values) {
      if (decls.has(name)) {
        given.set(name, { value, source: 'var-file' });
        continue;
      }
      const hint = didYouMean(name, decls.keys());
      if (vf.dotenv && hint === undefined) continue;
      diagnostics.push({
        severity: 'warning',
        message: `variable "${name}" is not declared in any file's variables block; ignored${hint ? ` (did you mean "${hint}"?)` : `; ${declaredList(decls)}`}`,
        where: { ...(vf.positions.get(name) ?? { file: vf.file }), path: name },
      });
    }
  }
  for (const [name, value] of Object.entries(input.vars)) {
    const bad = badVariableName(name);
    if (bad) {
      diagnostics.push({ severity: 'error', message: `--var ${bad}` });
      continue;
    }
    if (!decls.has(name)) {
      const hint = didYouMean(name, decls.keys());
      const declare = decls.size === 0 ? `; declare it in a variables: block (${declaredList(decls)})` : ` (${declaredList(decls)})`;
      diagnostics.push({ severity: 'error', message: `--var ${name}: no variable "${name}" is declared${hint ? `; did you mean "${hint}"?` : ''}${declare}` });
      continue;
    }
    given.set(name, { value, source: 'var' });
  }
  const ctx: RenderContext = { vars: new Map(), env: input.env, limits: input.limits, fileCache: input.fileCache, fileAccess: input.fileAccess };
  for (const decl of decls.values()) {
    const g = given.get(decl.name);
    if (g) {
      // A value from the environment is a secret unless the declaration says otherwise (as for {{env}}).
      const sensitive = decl.sensitive || (g.source === 'env' && !decl.sensitiveDeclared);
      vars.set(decl.name, { value: g.value, sensitive, source: g.source, decl });
      if (decl.sensitive && g.source === 'var') {
        diagnostics.push({
          severity: 'warning',
          message: `the sensitive variable "${decl.name}" was given with --var: command-line arguments are visible to every user of this machine (ps, /proc); pass it with --var-file or through {{env}} instead`,
          where: { ...decl.pos, path: `variables.${decl.name}` },
        });
      }
    } else if (decl.default === undefined) {
      vars.set(decl.name, { sensitive: decl.sensitive, source: 'none', decl });
    } else if (typeof decl.default !== 'string') {
      vars.set(decl.name, { value: String(decl.default), sensitive: decl.sensitive, source: 'default', decl });
    } else {
      const r = await renderString(decl.default, decl.abs, ctx, false);
      if (!r.ok) {
        diagnostics.push({ severity: 'error', message: r.message, where: { ...decl.pos, path: `variables.${decl.name}` } });
        vars.set(decl.name, { sensitive: decl.sensitive, source: 'none', decl });
        continue;
      }
      // A default read from the environment is sensitive unless the declaration says `sensitive:` itself.
      const sensitive = decl.sensitive || (!decl.sensitiveDeclared && r.envValues.length > 0);
      vars.set(decl.name, { value: r.value, sensitive, source: 'default', decl });
    }
  }
  for (const v of vars.values()) if (v.sensitive && v.value !== undefined && v.value !== '') secrets.push(v.value);
  return { vars, secrets, diagnostics };
}
