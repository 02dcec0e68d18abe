/**
 * The list of resource kinds kickstand manages, in file-section order. Adding a kind: its file here, one line in this
 * list, and its name in the `KindName` union and `KindDef.section` (the type checker then points at anything else).
 */
import type { KindDef } from '../core/kind.js';
import type { KindName } from '../core/types.js';
import { application } from './application.js';
import { messageTemplate } from './messageTemplate.js';
import { messenger } from './messenger.js';
import { tenant } from './tenant.js';

export const KINDS: readonly KindDef[] = [messenger, messageTemplate, tenant, application];

/** Look a kind up by name. */
export function kindByName(name: KindName): KindDef {
  const k = KINDS.find((d) => d.name === name);
  if (!k) throw new Error(`unknown kind ${name}`);
  return k;
}
