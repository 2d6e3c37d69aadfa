// Who reads a notice: the employee it is about (employees.email), their manager (manager_id →
// the manager's email), or HR (notifications.hr). Read as they stand when the notice is sent, so
// a corrected address is used by a retry. A reader without an address is kept, with why, so that
// the notifier records the skip instead of dropping it silently.
import type { Queryable } from '../store/store.ts';
import type { NotificationsConfig } from './settings.ts';
import type { Audience } from './events.ts';
import { zoneOf } from './render.ts';

export interface Recipient {
  audience: Audience;
  /** The employee who reads it (null for an HR address). */
  employeeId: string | null;
  name: string;
  email: string | null;
  /** Why there is no address, in words for the record. */
  missing?: string;
  zone: string;
  optOut: boolean;
  digest: boolean;
}

interface PersonRow {
  id: string;
  name: string;
  email: string | null;
  manager_id: string | null;
  attributes: unknown;
  opt_out: boolean | null;
  digest: boolean | null;
}

async function person(db: Queryable, id: string): Promise<PersonRow | undefined> {
  return (await db.query<PersonRow>(
    `SELECT e.id, e.name, e.email, e.manager_id, e.attributes, p.opt_out, p.digest
     FROM employees e LEFT JOIN notification_preferences p ON p.employee_id = e.id WHERE e.id = $1`, [id])).rows[0];
}

function asRecipient(audience: Audience, p: PersonRow, n: NotificationsConfig): Recipient {
  const email = p.email?.trim() || null;
  return {
    audience, employeeId: p.id, name: p.name, email, zone: zoneOf(p.attributes, n.timezone), optOut: p.opt_out ?? false, digest: p.digest ?? false,
    ...(email ? {} : { missing: `${p.name} (${audience}, employee ${p.id}) has no email address on file; add it to the employee import` }),
  };
}

export async function resolveRecipients(db: Queryable, n: NotificationsConfig, employeeId: string | undefined, audiences: readonly Audience[]): Promise<Recipient[]> {
  const out: Recipient[] = [];
  const subject = employeeId ? await person(db, employeeId) : undefined;
  for (const audience of audiences) {
    if (audience === 'hr') {
      if (n.hr.length === 0) {
        out.push({ audience, employeeId: null, name: 'HR', email: null, zone: zoneOf(null, n.timezone), optOut: false, digest: false, missing: 'notifications.hr lists no address; add HR\'s addresses to appraise.config.yaml' });
      }
      for (const email of n.hr) out.push({ audience, employeeId: null, name: 'HR', email, zone: zoneOf(null, n.timezone), optOut: false, digest: false });
      continue;
    }
    if (!subject) {
      out.push({ audience, employeeId: employeeId ?? null, name: employeeId ?? 'unknown', email: null, zone: zoneOf(null, n.timezone), optOut: false, digest: false, missing: `the employee ${employeeId ?? '(none)'} is not on file` });
      continue;
    }
    if (audience === 'employee') out.push(asRecipient('employee', subject, n));
    else {
      const manager = subject.manager_id ? await person(db, subject.manager_id) : undefined;
      if (manager) out.push(asRecipient('manager', manager, n));
      else out.push({ audience, employeeId: subject.manager_id, name: `${subject.name}'s manager`, email: null, zone: zoneOf(null, n.timezone), optOut: false, digest: false, missing: subject.manager_id ? `the manager ${subject.manager_id} of ${subject.name} is not on file` : `${subject.name} (employee ${subject.id}) has no manager on file` });
    }
  }
  // One email per address, even when the employee is their own manager's audience twice.
  const seen = new Set<string>();
  return out.filter((r) => !r.email || (seen.has(r.email.toLowerCase()) ? false : (seen.add(r.email.toLowerCase()), true)));
}
