/** Error types that carry diagnostics to the CLI's one top-level catch. */
import type { Diagnostic } from './types.js';

/**
 * A problem with the user's input or with what the server said: printed as diagnostics without a stack, exit 1.
 * Anything else that reaches the top-level catch is an internal error (stack printed, report requested).
 */
export class UserError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[] | string, options?: { cause?: unknown }) {
    const list: Diagnostic[] = typeof diagnostics === 'string' ? [{ severity: 'error', message: diagnostics }] : diagnostics;
    super(list.map((d) => d.message).join('; '), options);
    this.name = 'UserError';
    this.diagnostics = list;
  }
}
