// Shared pieces of the notification suites: the application with its `notifications` section
// pointing at a real SMTP receiver, a small organisation (an employee whose name needs HTML
// escaping, one without an address, one without a manager), and deliveries queued as the act
// phase and the case transitions queue them.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Appraise } from '../../core/app/appraise.ts';
import { ROOT } from '../cli/run-cli.ts';
import { POSTGRES_URL } from '../store/backends.ts';
import { configFromText } from '../../core/config/config.ts';
import { casePayload } from '../../core/cases/payload.ts';
import type { Store } from '../../core/store/store.ts';
import { dispatchOnce, type DispatchResult } from '../../core/workflows/dispatcher.ts';
import { enqueue } from '../../core/workflows/outbox.ts';
import { createWorkflowRunner } from '../../core/workflows/runner.ts';
import type { SmtpReceiver } from './smtp-receiver.ts';

export function notificationsYaml(receiver: SmtpReceiver, extra: string[] = []): string {
  return [
    'notifications:',
    '  smtp:',
    '    host: 127.0.0.1',
    `    port: ${receiver.port}`,
    '    timeoutMs: 5000',
    '  from: "Appraise <appraise@example.com>"',
    '  replyTo: hr@example.com',
    '  hr: [hr-one@example.com, hr-two@example.com]',
    '  publicUrl: https://appraise.example.com',
    '  timezone: Europe/Berlin',
    ...extra,
  ].join('\n');
}

export async function openApp(yaml: string, o: { databaseUrl?: string; schema?: string; dataDir?: string; log?: (m: string) => void } = {}): Promise<Appraise> {
  const { config, diagnostics } = configFromText('appraise.config.yaml', yaml);
  if (!config) throw new Error(`config: ${JSON.stringify(diagnostics)}`);
  return Appraise.open({ config, dataDir: o.dataDir ?? 'memory://', databaseUrl: o.databaseUrl ?? '', ...(o.schema ? { schema: o.schema } : {}), ...(o.log ? { log: o.log } : {}) });
}

export const PEOPLE = {
  manager: { id: 'mgr', name: 'Mia Manager', email: 'mia@example.com' },
  employee: { id: 'e1', name: 'Dana <b>Reyes</b> & Co', email: 'dana@example.com' },
  noEmail: { id: 'e2', name: 'Noel Nomail', email: null },
  noManager: { id: 'e3', name: 'Olive Orphan', email: 'olive@example.com' },
};

export async function seedPeople(store: Store): Promise<void> {
  const add = (p: { id: string; name: string; email: string | null }, manager: string | null, attributes: Record<string, unknown> = {}) =>
    store.query(`INSERT INTO employees (id, name, email, role, team, manager_id, attributes, content_hash) VALUES ($1, $2, $3, 'agent', 'Support', $4, $5::jsonb, 'x')`,
      [p.id, p.name, p.email, manager, JSON.stringify(attributes)]);
  await add(PEOPLE.manager, null, { timezone: 'America/New_York' });
  await add(PEOPLE.employee, 'mgr', { timezone: 'Asia/Tokyo' });
  await add(PEOPLE.noEmail, 'mgr');
  await add(PEOPLE.noManager, null);
}

let rule = 0;
/** A case of `type`/`status` for `employeeId`, with a plan when it is a PIP past proposal. */
export async function addCase(store: Store, c: { type: 'recognition' | 'coaching' | 'pip'; status: string; employeeId: string; approval?: 'required' | 'none'; scheduledFor?: string }): Promise<number> {
  const planned = c.type === 'pip' && c.status !== 'proposed';
  const r = await store.query<{ id: number }>(
    `INSERT INTO cases (type, status, employee_id, policy_id, policy_version, rule_id, period, explanation, workflows, approval, checkin_every_days, next_checkin_at, goals, due_at, support, scheduled_for, opened_at)
     VALUES ($1, $2, $3, 'support-agents', 3, $4, '2026-Q4', '{}'::jsonb, '["email.send"]'::jsonb, $5, $6, $7, $8::jsonb, $9, $10, $11, '2026-12-01T09:00:00Z') RETURNING id`,
    [c.type, c.status, c.employeeId, `rule-${rule++}`, c.approval ?? 'none', planned ? 14 : null, planned ? '2026-12-20T10:00:00Z' : null,
      planned ? JSON.stringify(['Answer first replies within 4 hours', 'Keep CSAT at 4.2 or above']) : null, planned ? '2027-02-28T17:00:00Z' : null,
      planned ? 'Weekly sessions with a senior agent' : null, c.scheduledFor ?? null],
  );
  return Number(r.rows[0].id);
}

/** Queues `event` of a case to email.send, with the payload the act phase and transitions write. */
export async function queueCaseNotice(store: Store, caseId: number, event: string, config: Record<string, unknown> = {}, occurrence?: string): Promise<string> {
  const payload = await casePayload(store, caseId, event);
  await enqueue(store, [{ caseId, workflow: 'email.send', event, payload, config, ...(occurrence ? { occurrence } : {}) }]);
  return `case-${caseId}:${event}${occurrence ? `@${occurrence}` : ''}:email.send`;
}

/** Dispatch rounds until nothing due is left (one round claims only the receiver's free slots). */
export async function dispatch(app: Appraise, now?: Date): Promise<DispatchResult> {
  const total: DispatchResult = { claimed: 0, delivered: 0, retried: 0, dead: 0, unknown: 0 };
  for (;;) {
    const r = await dispatchOnce(app.store, { run: createWorkflowRunner(app.store, app.host, app.notifier), maxAttempts: 3 }, now);
    if (r.claimed === 0) return total;
    for (const k of Object.keys(total) as Array<keyof DispatchResult>) total[k] += r[k];
  }
}

export async function sentRows(store: Store): Promise<Array<{ audience: string; recipient: string | null; event: string; status: string; reason: string | null; message_id: string | null; employee_id: string | null }>> {
  return (await store.query<{ audience: string; recipient: string | null; event: string; status: string; reason: string | null; message_id: string | null; employee_id: string | null }>(
    'SELECT audience, recipient, event, status, reason, message_id, employee_id FROM notifications_sent ORDER BY id')).rows;
}

/**
 * A real `npx appraise worker --no-schedule` (the compiled core) on the config file's store: the
 * PostgreSQL schema when given, else the embedded store in `dir/store`. `kill()` SIGKILLs it and
 * waits for it to be gone.
 */
export function spawnWorker(o: { file: string; dir: string; schema?: string }): { proc: ChildProcess; output(): string; kill(): Promise<void> } {
  const proc = spawn(process.execPath, [join(ROOT, 'core/cli/appraise.mjs'), '--config', o.file, 'worker', '--no-schedule', ...(o.schema ? [] : ['--data-dir', join(o.dir, 'store')])], {
    cwd: o.dir, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: o.schema ? POSTGRES_URL : '', APPRAISE_PG_SCHEMA: o.schema ?? '', NO_COLOR: '1' },
  });
  let output = '';
  proc.stdout!.on('data', (d) => (output += String(d)));
  proc.stderr!.on('data', (d) => (output += String(d)));
  return {
    proc,
    output: () => output,
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    },
  };
}
