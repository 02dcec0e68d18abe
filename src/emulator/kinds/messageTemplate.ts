/**
 * Message templates: `/api/message/template[/{id}]` (reference §3). Validation follows FusionAuth's decompiled
 * `DefaultMessageTemplateService`: the common name rules with a 191-character limit, a required default template,
 * and a template a tenant or application references cannot be deleted (`[inUse]messageTemplateId`, refs.ts).
 */
import type { KindSpec } from '../crud.js';
import { fillMessageTemplate } from '../defaults.js';
import { col } from '../state.js';
import { blank } from '../values.js';

/** The message template kind (reference §3). */
export const messageTemplate: KindSpec = {
  kind: 'messageTemplate',
  scope: 'global',
  serverOwned: ['id', 'insertInstant', 'lastUpdateInstant'],
  // `MessageType` ([TS]/[OAS]): Voice since 1.65.0; like a messenger's, the type is the class and not mutable.
  discriminator: { field: 'type', values: ['SMS', 'Voice'] },
  // `MapperTools.MaximumIndexedColumnLength` (the decompiled maxLength on the name); 191 = utf8mb4 index limit.
  name: { unique: 'global', maxLength: 191 },
  fill: fillMessageTemplate,
  validate: (w, e) => {
    // defaultTemplate is documented as required ([SITE:docs/apis/_message-template-request-body.mdx], reference §3).
    if (blank(w.obj.defaultTemplate)) e.field('messageTemplate.defaultTemplate', '[blank]', 'The default template text is required.');
  },
  // The message template of a fresh instance before 1.68, "Default Two Factor Request" (defaults/boot.ts); no fixed id.
  boot: (state, b) => {
    const t = state.now();
    for (const body of b.messageTemplates) state.store.put(col('messageTemplate'), { ...body, id: state.newId(), insertInstant: t, lastUpdateInstant: t });
  },
};
