/**
 * The outbox: the emulator never calls Twilio (or any messenger). When FusionAuth would send an SMS, the emulator
 * renders the message template and records the message here, and writes one log line
 * (`[outbox] SMS to +15555550123 via messenger "Twilio SMS" (Twilio): Your verification code is 8RHLVK.`).
 * The message text is a test code the user is meant to read; no password or API key ever reaches it.
 *
 * Read it over HTTP with the emulator's own endpoints — NOT part of FusionAuth's API, they live under `/_emulator/`
 * with the emulator's other controls, need the API key, and are not in the request log:
 * - `GET /_emulator/outbox` → `{"messages": [...]}`, oldest first; filters `?to=<phone>` (any format, compared as
 *   E.164), `?userId=<uuid>`;
 * - `DELETE /_emulator/outbox` → empties it.
 *
 * A message: `id`, `insertInstant`, `type` (`SMS`), `purpose` (`phoneVerification`, `phoneVerificationComplete`),
 * `to`, `from` (the Twilio messenger's `fromPhoneNumber`, when set), `messengerId`, `messengerName`, `messengerType`,
 * `messageTemplateId`, `messageTemplateName`, `locale` (when a localized template was used), `body` (the rendered
 * text), `variables` (what the template was rendered with), `tenantId`, `userId` (when known).
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../../core/types.js';
import type { RouteModule } from '../http.js';
import type { EmulatorState } from '../state.js';
import { UCOL } from './model.js';
import { canonicalPhone } from './phone.js';

/** Record a message and log it. Returns the stored message. */
export function recordMessage(state: EmulatorState, message: JsonObject): JsonObject {
  const stored: JsonObject = { id: randomUUID(), insertInstant: state.now(), ...message };
  state.store.put(UCOL.outbox, stored);
  const via = typeof stored.messengerName === 'string' ? ` via messenger "${stored.messengerName}" (${String(stored.messengerType)})` : '';
  state.log?.(`[outbox] ${String(stored.type)} to ${String(stored.to)}${via}: ${String(stored.body).trimEnd()}`);
  return stored;
}

/** The recorded messages, oldest first (stored objects: clone before handing out). */
export function outboxMessages(state: EmulatorState): JsonObject[] {
  return state.store.list(UCOL.outbox);
}

/** The `/_emulator/outbox` endpoints (see the module comment). */
export const outboxRoutes: RouteModule = {
  name: '_emulator/outbox',
  routes: [
    {
      method: 'GET',
      path: '/_emulator/outbox',
      handle: (req, state) => {
        const to = req.query.get('to');
        const toPhone = to === null ? undefined : (canonicalPhone(to) ?? to);
        const userId = req.query.get('userId')?.toLowerCase();
        const messages = outboxMessages(state).filter((m) => (toPhone === undefined || m.to === toPhone) && (userId === undefined || m.userId === userId));
        return { status: 200, body: { messages: structuredClone(messages) } };
      },
    },
    {
      method: 'DELETE',
      path: '/_emulator/outbox',
      handle: (_req, state) => {
        for (const m of [...outboxMessages(state)]) state.store.delete(UCOL.outbox, String(m.id));
        return { status: 200 };
      },
    },
  ],
};
