// What each role may do, to hide the controls a role may not use. The server decides (it
// answers 403 all the same); the table is the server's own (core/auth/scope.ts, browser-safe).
import type { Role } from '../api/types.ts';
import { PERMISSIONS } from '../../core/auth/scope.ts';

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export const ROLE_LABEL: Record<Role, string> = { admin: 'Administrator', hr: 'HR', manager: 'Manager', employee: 'Employee', viewer: 'Viewer' };
