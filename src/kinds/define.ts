/**
 * What a kind file declares, and the one helper that fills in the common defaults and keeps the kind's name a literal
 * type (so that the registry can derive the union of kind names). `refs` and `dependsOn` are not written by hand: the
 * registry derives them from the wire facts' references to registered kinds (src/kinds/index.ts).
 */
import type { Kind } from './api.js';

/** The fields most kinds share the value of; a kind file writes them only to differ. */
type Defaulted =
  | 'serverFields' | 'setFields' | 'secretFields' | 'immutableFields' | 'writeOnlyFields' | 'features' | 'nameField' | 'isProtected'
  | 'lockedFields' | 'validate' | 'licenseRules';

/** A kind as its file declares it. */
export type KindSpec = Omit<Kind, 'refs' | 'dependsOn' | Defaulted> & Partial<Pick<Kind, Defaulted>>;

/** A declared kind with its defaults filled in, before the registry derives its references. */
export type DefinedKind = Omit<Kind, 'refs' | 'dependsOn'>;

/**
 * Declare a kind: the server owns `id` and the instants (reference §1.3, §1.4), nothing is a set, a secret, immutable,
 * write-only or version-gated, the name is `name`, nothing is protected or locked, and there are no offline or license
 * rules — unless the kind says otherwise.
 */
export function defineKind<const N extends string>(spec: KindSpec & { name: N }): DefinedKind & { name: N } {
  return {
    serverFields: ['id', 'insertInstant', 'lastUpdateInstant'],
    setFields: [],
    secretFields: [],
    immutableFields: [],
    writeOnlyFields: [],
    features: [],
    nameField: 'name',
    isProtected: () => false,
    lockedFields: () => [],
    validate: () => [],
    licenseRules: () => [],
    ...spec,
  };
}
