// What each role may do, to hide the controls a role may not use. The server decides (it
// answers 403 all the same); this mirrors core/auth/scope.ts so the UI does not offer them.
import type { Role } from '../api/types.ts';

const PERMISSIONS = {
  publishPolicies: ['admin', 'hr'],
  runPolicies: ['admin', 'hr'],
  simulate: ['admin', 'hr'],
  actOnCases: ['admin', 'hr', 'manager'],
  readPolicies: ['admin', 'hr', 'manager', 'viewer'],
  readRuns: ['admin', 'hr', 'viewer'],
  seeProtectedAttributes: ['admin', 'hr'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export const ROLE_LABEL: Record<Role, string> = { admin: 'Administrator', hr: 'HR', manager: 'Manager', employee: 'Employee', viewer: 'Viewer' };
