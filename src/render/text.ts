/**
 * Text that did not come from kickstand itself (names, keys, paths, server messages, field values) is made inert
 * before it is printed: no control character or bidirectional override reaches a terminal or a pull-request comment
 * raw. Why: a foreign `ESC[8m` hides the rest of a line, other escape sequences clear the screen or rewrite earlier
 * lines of a plan, a newline in a server message can forge a line ("No changes."), and U+202E (right-to-left override)
 * makes text read differently from what it is. Only the colour sequences of kickstand's own palette are ever printed.
 */

/**
 * Characters escaped in foreign text: every C0 control (newline and tab included: inside one value or message they
 * could forge lines), DEL, the C1 controls, the bidirectional marks, embeddings, overrides and isolates, and the
 * Unicode line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** The same characters except the C0 controls, which `JSON.stringify` already escapes. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

const hex = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Foreign text made inert: each unsafe character becomes a visible `\uXXXX`. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, hex);
}

/**
 * A JSON text made inert for terminals and comments without changing its meaning: the unsafe characters that
 * `JSON.stringify` leaves raw (DEL, C1, bidi controls, U+2028/U+2029) become `\uXXXX` escapes. They can only occur
 * inside strings there, where the escape means the same character, so the document stays valid and equal.
 */
export function escapeJsonText(json: string): string {
  return json.replace(UNSAFE_IN_JSON, hex);
}
