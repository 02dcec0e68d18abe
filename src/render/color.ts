/**
 * Colour for the human renderings, injected as a palette so that renderers stay pure and golden files carry no
 * escape codes: `noColor` is the identity, `ansiColor` wraps text in SGR escapes.
 */

/** The colours the human renderings use. Each function wraps a piece of text. */
export interface Palette {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const identity = (t: string): string => t;

/** The palette that leaves text untouched (`--no-color`, `NO_COLOR`, pipes, golden files). */
export const noColor: Palette = { green: identity, yellow: identity, red: identity, cyan: identity, bold: identity, dim: identity };

const sgr = (open: number, close: number) => (t: string): string => (t === '' ? t : `\u001b[${open}m${t}\u001b[${close}m`);

/** The palette of ANSI SGR escapes (foreground colours reset with 39, bold/dim with 22). */
export const ansiColor: Palette = {
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  red: sgr(31, 39),
  cyan: sgr(36, 39),
  bold: sgr(1, 22),
  dim: sgr(2, 22),
};

/** The palette for a rendering option. */
export function paletteFor(color: boolean): Palette {
  return color ? ansiColor : noColor;
}

/** What decides whether to colour output; the CLI passes `process.env` and `stream.isTTY`. */
export interface ColorContext {
  /** `--no-color` was given. */
  noColorFlag?: boolean;
  env: Record<string, string | undefined>;
  /** Whether the output stream is a terminal. */
  isTTY: boolean;
}

/**
 * Whether to colour output: never with `--no-color` or a non-empty `NO_COLOR` (https://no-color.org), nor with
 * `FORCE_COLOR=0`; always with another non-empty `FORCE_COLOR`; otherwise only on a terminal that is not `TERM=dumb`.
 */
export function shouldUseColor(ctx: ColorContext): boolean {
  if (ctx.noColorFlag) return false;
  const noColorEnv = ctx.env.NO_COLOR;
  if (noColorEnv !== undefined && noColorEnv !== '') return false;
  const force = ctx.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return ctx.isTTY && ctx.env.TERM !== 'dumb';
}
