// Demo disputes, so that `npm start` shows the Disputes view populated: one open dispute (an
// employee disputes the newest coaching case of the demo run: HR's queue has something to
// resolve) and one decided (a manager disputed a historical coaching case and HR upheld it).
// Chosen by id, so the same demo gets the same disputes.
import type { Store } from '../store/store.ts';
import { raiseDispute, resolveDispute } from '../people/disputes/disputes.ts';

interface Pick {
  id: number;
  employee_id: string;
  name: string | null;
  manager_id: string | null;
  manager_name: string | null;
}

async function pick(store: Store, where: string, order: string): Promise<Pick | undefined> {
  const r = await store.query<Pick>(
    `SELECT c.id, c.employee_id, e.name, e.manager_id, m.name AS manager_name FROM cases c
     JOIN employees e ON e.id = c.employee_id LEFT JOIN employees m ON m.id = e.manager_id
     WHERE ${where} ORDER BY ${order} LIMIT 1`,
  );
  return r.rows[0] ? { ...r.rows[0], id: Number(r.rows[0].id) } : undefined;
}

/** Raises the demo's disputes; returns how many. */
export async function seedDemoDisputes(store: Store, at: Date = new Date()): Promise<number> {
  let n = 0;
  const open = await pick(store, `c.type = 'coaching' AND c.status = 'open'`, 'c.id DESC');
  if (open) {
    await raiseDispute(store, { name: open.name ?? open.employee_id, role: 'employee', employeeId: open.employee_id }, {
      subjectType: 'case', subjectId: open.id, at,
      reason: 'Most of the low scores in this window came from tickets escalated to me after other agents had closed them.',
    });
    n++;
  }
  const past = await pick(store, `c.type = 'coaching' AND c.status = 'completed' AND e.manager_id IS NOT NULL`, 'c.id');
  if (past) {
    const id = await raiseDispute(store, { name: past.manager_name ?? past.manager_id!, role: 'manager', employeeId: past.manager_id! }, {
      subjectType: 'case', subjectId: past.id, at,
      reason: 'The team was two people short that month; the coaching should not count against them.',
    });
    await resolveDispute(store, { name: 'hr-demo', role: 'hr' }, id, {
      resolution: 'uphold', at,
      note: 'The numbers stand even allowing for the short staffing, and the coaching helped: the case stays on record.',
    });
    n++;
  }
  return n;
}
