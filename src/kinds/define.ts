/**
 * What a kind file declares, and the one helper that keeps its name a literal type (so that the registry can derive
 * the union of kind names). `refs` and `dependsOn` are not written by hand: the registry derives them from the wire
 * facts' references to registered kinds (src/kinds/index.ts).
 */
import type { Kind } from './api.js';

/** A kind as its file declares it. */
export type KindSpec = Omit<Kind, 'refs' | 'dependsOn'>;

/** Declare a kind (typed, its name kept as a literal). */
export function defineKind<const N extends string>(spec: KindSpec & { name: N }): KindSpec & { name: N } {
  return spec;
}
