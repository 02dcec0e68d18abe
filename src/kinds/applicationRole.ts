/**
 * Application roles: a child kind of applications. Written in the application's entry (`applications[].roles`),
 * identified there and on the server by `name` (unique within the application: `[duplicate]application.roles.name`,
 * reference §5.3). On the wire roles are listed inside the application and written below it,
 * `/api/application/{id}/role/{roleId}`, because an application's PUT/PATCH ignores `roles` (reference §5.1, §5.3);
 * a new application carries its roles in its create body. kickstand never deletes a role the files do not mention.
 */
import type { RuleViolation } from '../core/kind.js';
import type { JsonObject } from '../core/types.js';
import { WIRE } from '../fusionauth/wire.js';
import { childCollection } from './api.js';
import { defineKind } from './define.js';

function validate(body: JsonObject): RuleViolation[] {
  // FusionAuth caps a role description at 255 characters (reference §5.3).
  const d = body.description;
  return typeof d === 'string' && d.length > 255 ? [{ path: 'description', message: 'a role description is at most 255 characters' }] : [];
}

export const applicationRole = defineKind({
  name: 'applicationRole',
  title: 'application role',
  wire: WIRE.applicationRole,
  api: childCollection(WIRE.application, WIRE.applicationRole),
  parent: { kind: 'application', field: 'roles', keyField: 'name' },
  uniqueName: 'perParent',
  validate,
  // FusionAuth's client libraries, deleteApplicationRole: "This permanently removes the given role from all users that
  // had it." A role has no immutable field, so it is never replaced.
  consequences: { delete: 'FusionAuth removes the role from every user who has it.' },
  openapi: { schema: 'ApplicationRole' },
});
