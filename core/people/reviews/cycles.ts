// Opening a review cycle: HR names a period, a population (a policy's `appliesTo` selector), a
// template and three deadlines; one review is created for each employee in scope, all in one
// transaction. Opening the same cycle again is idempotent: it adds reviews only for people who
// came into scope since (new hires), and refuses a different template or population.
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import type { Store } from '../../store/store.ts';
import { loadEmployees, selects } from '../../run/employees.ts';
import type { Selector } from '../../policy/types.ts';
import { ajv } from '../../policy/schema-check.ts';
import { parseInstant } from '../../util/instant.ts';
import { FieldError } from '../../cases/field-error.ts';
import { periodRange } from './period-range.ts';
import type { ReviewTemplate } from './template.ts';
import { recordReviewEvent } from './events.ts';

export interface OpenCycleInput {
  /** Default: the period (`2026-Q4`). */
  id?: string;
  period: string;
  title?: string;
  template: ReviewTemplate;
  templateYaml: string;
  appliesTo?: Selector;
  due: { self: string; manager: string; signoff: string };
  actor: string;
  at?: Date;
}

export interface OpenCycleResult {
  cycleId: string;
  /** Reviews created by this call. */
  created: number;
  /** Reviews that already existed (the cycle was opened before). */
  existing: number;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const DUE_FIELDS = { self: 'due.self', manager: 'due.manager', signoff: 'due.signoff' } as const;

/** The population, checked against the policy schema's selector: a typo is an error at its field. */
function checkPopulation(appliesTo: unknown): Selector {
  const validate = ajv().getSchema('https://appraise.dev/schemas/review-template.schema.json#/$defs/population')!;
  if (validate(appliesTo)) return appliesTo as Selector;
  const e = validate.errors![0];
  const at = ['appliesTo', ...e.instancePath.split('/').filter(Boolean)].join('.');
  const extra = (e.params as { additionalProperty?: string }).additionalProperty;
  throw new FieldError('APPRAISE_REVIEW_BAD_POPULATION', [at],
    (n) => `${n(extra ? `${at}.${extra}` : at)} ${extra ? 'is not a selector field: use roles, teams, departments, locations, minTenure, maxTenure or attributes' : e.message ?? 'is invalid'}.`,
    { value: appliesTo });
}

function checkDeadlines(due: OpenCycleInput['due']): { self: Date; manager: Date; signoff: Date } {
  const d = {
    self: parseInstant(due.self, DUE_FIELDS.self),
    manager: parseInstant(due.manager, DUE_FIELDS.manager),
    signoff: parseInstant(due.signoff, DUE_FIELDS.signoff),
  };
  if (d.manager < d.self || d.signoff < d.manager) {
    const field = d.manager < d.self ? 'manager' : 'signoff';
    throw new FieldError('APPRAISE_REVIEW_BAD_DEADLINES', [DUE_FIELDS[field]],
      (n) => `The deadlines must follow the steps: self-assessment (${due.self}), then manager assessment (${due.manager}), then sign-off (${due.signoff}). Move ${n(DUE_FIELDS[field])} later.`);
  }
  return d;
}

export async function openCycle(store: Store, input: OpenCycleInput): Promise<OpenCycleResult> {
  const at = input.at ?? new Date();
  const range = periodRange(input.period);
  const cycleId = input.id ?? input.period;
  if (!ID.test(cycleId)) {
    throw new FieldError('APPRAISE_REVIEW_BAD_CYCLE_ID', ['id'], (n) => `${n('id')} must be letters, digits, dots, dashes or underscores (at most 63), such as 2026-Q4 or 2026-Q4-support; not \`${cycleId}\`.`);
  }
  const appliesTo = checkPopulation(input.appliesTo ?? {});
  const due = checkDeadlines(input.due);
  // Who is in scope is decided on the day the cycle opens (or the period's last day, for a past period).
  const scopeAt = at < range.to ? at : new Date(range.to.getTime() - 1);
  return store.transaction(async (tx) => {
    const title = input.title ?? `${input.template.metadata.title} ${input.period}`;
    const inserted = await tx.query(
      `INSERT INTO review_cycles (id, period, period_from, period_to, title, template_id, template_yaml, template, applies_to, self_due_at, manager_due_at, signoff_due_at, opened_by, opened_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12, $13, $14) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [cycleId, input.period, range.from.toISOString(), range.to.toISOString(), title, input.template.metadata.id, input.templateYaml, JSON.stringify(input.template),
        JSON.stringify(appliesTo), due.self.toISOString(), due.manager.toISOString(), due.signoff.toISOString(), input.actor, at.toISOString()],
    );
    const fresh = inserted.rows.length === 1;
    if (!fresh) {
      const old = (await tx.query<{ template_yaml: string; applies_to: unknown; period: string }>('SELECT template_yaml, applies_to, period FROM review_cycles WHERE id = $1 FOR UPDATE', [cycleId])).rows[0];
      if (old.template_yaml !== input.templateYaml || JSON.stringify(old.applies_to) !== JSON.stringify(appliesTo) || old.period !== input.period) {
        throw new AppraiseError('APPRAISE_REVIEW_CYCLE_EXISTS',
          `The cycle ${cycleId} is already open with another template, population or period. Give the new cycle its own id (such as ${cycleId}-2), or open it again with the same ones to add people who came into scope since.`,
          { cycleId });
      }
    } else {
      await recordReviewEvent(tx, { reviewId: null, cycleId, at, actor: input.actor, event: 'opened', data: { period: input.period, template: input.template.metadata.id, appliesTo } },
        { action: 'review.cycle.open', after: { cycleId, period: input.period, template: input.template.metadata.id, appliesTo, due: input.due } });
    }
    const inScope = (await loadEmployees(tx)).filter((e) => selects(appliesTo, e, scopeAt).applies).map((e) => ({ id: e.id, managerId: e.managerId ?? null }));
    const created = (await tx.query<{ id: number; employee_id: string }>(
      `INSERT INTO reviews (cycle_id, employee_id, manager_id, self_due_at, manager_due_at, signoff_due_at, created_at, updated_at)
       SELECT $1, e->>'id', e->>'managerId', $3, $4, $5, $6, $6 FROM jsonb_array_elements($2::jsonb) e
       ON CONFLICT (cycle_id, employee_id) DO NOTHING RETURNING id, employee_id`,
      [cycleId, JSON.stringify(inScope), due.self.toISOString(), due.manager.toISOString(), due.signoff.toISOString(), at.toISOString()],
    )).rows;
    if (created.length) {
      // One event per review, in one statement (a cycle opens hundreds at once).
      await tx.query(
        `INSERT INTO review_events (review_id, cycle_id, at, actor, event, to_status) SELECT r.id, $1, $2, $3, 'opened', 'open' FROM reviews r WHERE r.id = ANY($4::bigint[])`,
        [cycleId, at.toISOString(), input.actor, created.map((r) => Number(r.id))],
      );
      if (!fresh) {
        await tx.query(`INSERT INTO audit_log (at, actor, action, target, after) VALUES ($1, $2, 'review.cycle.extend-population', $3, $4::jsonb)`,
          [at.toISOString(), input.actor, `review-cycle:${cycleId}`, JSON.stringify({ added: created.map((r) => r.employee_id) })]);
      }
    }
    return { cycleId, created: created.length, existing: inScope.length - created.length };
  });
}
