/**
 * The registry of resource kinds kickstand manages, in file-section order. Adding a kind: its file here and one line
 * in `DEFINITIONS` (its wire facts in src/fusionauth/wire.ts). Everything generic reads this list: the loader's
 * sections, the planner, the reading of live state, apply, the schema generator and the tests' kind lists.
 */
import type { RefField } from '../core/kind.js';
import type { Kind } from './api.js';
import { apiKey } from './apiKey.js';
import { application } from './application.js';
import { applicationRole } from './applicationRole.js';
import { key } from './key.js';
import type { DefinedKind } from './define.js';
import { emailTemplate } from './emailTemplate.js';
import { family } from './family.js';
import { lambda } from './lambda.js';
import { messageTemplate } from './messageTemplate.js';
import { messenger } from './messenger.js';
import { systemConfiguration } from './systemConfiguration.js';
import { tenant } from './tenant.js';
import { theme } from './theme.js';
import { user } from './user.js';
import { userRegistration } from './userRegistration.js';
import { webhook } from './webhook.js';

const DEFINITIONS = [systemConfiguration, lambda, emailTemplate, messenger, messageTemplate, key, theme, tenant, application, applicationRole, webhook, apiKey, user, userRegistration, family] as const;

/** The names of the registered kinds (`messenger`, …, `applicationRole`), derived from the registry. */
export type RegisteredKind = (typeof DEFINITIONS)[number]['name'];

/**
 * A kind with its derived facts: `refs`, the wire references whose target is a registered kind, and `dependsOn`,
 * those targets and the parent.
 */
function register(spec: DefinedKind, names: ReadonlySet<string>): Kind {
  const refs: RefField[] = spec.wire.refs.filter((r) => names.has(r.kind)).map((r) => ({ path: r.path, kind: r.kind }));
  const dependsOn = [...new Set([...refs.map((r) => r.kind), ...(spec.parent ? [spec.parent.kind] : [])])].filter((k) => k !== spec.name);
  return { ...spec, refs, dependsOn };
}

const NAMES: ReadonlySet<string> = new Set(DEFINITIONS.map((d) => d.name));

/** Every registered kind, in file-section order (children after their parents). */
export const KINDS: readonly Kind[] = DEFINITIONS.map((d) => register(d, NAMES));

/** Look a kind up by name. */
export function kindByName(name: string): Kind {
  const k = KINDS.find((d) => d.name === name);
  if (!k) throw new Error(`unknown kind ${name}`);
  return k;
}

/** The kinds written as a section of the file (not the child kinds, which are written inside their parent's entries). */
export const SECTION_KINDS: readonly Kind[] = KINDS.filter((k) => k.section !== undefined);
