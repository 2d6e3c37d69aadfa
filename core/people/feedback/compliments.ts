// Customer comments a manager may turn into kudos: the surveys with a comment of one employee
// of their line, newest first, each with the kudos it already became (a compliment counts once).
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import type { Principal } from '../../auth/tokens.ts';
import type { Queryable } from '../../store/store.ts';
import { SURVEY_RECORD_KIND } from './kudos.ts';
import { manages } from './people.ts';

export interface Compliment {
  surveyRecordId: number;
  occurredAt: string;
  comment: string;
  csat: number | null;
  kudosId: number | null;
}

export async function complimentsOf(db: Queryable, reader: Principal, employeeId: string, limit = 50): Promise<Compliment[]> {
  if (!(await manages(db, reader, employeeId))) {
    throw new AppraiseError('APPRAISE_FEEDBACK_FORBIDDEN', `Only ${employeeId}'s managers and HR turn their customers' compliments into kudos.`, { employeeId });
  }
  const r = await db.query<{ id: number; occurred_at: string; comment: string; csat: string | null; kudos_id: number | null }>(
    `SELECT r.id, r.occurred_at, r.payload ->> 'comment' AS comment, r.payload ->> 'csat' AS csat, k.id AS kudos_id
     FROM records r LEFT JOIN kudos k ON k.survey_record_id = r.id
     WHERE r.kind = $1 AND r.employee_id = $2 AND coalesce(btrim(r.payload ->> 'comment'), '') <> ''
     ORDER BY r.occurred_at DESC, r.id DESC LIMIT $3`,
    [SURVEY_RECORD_KIND, employeeId, limit],
  );
  return r.rows.map((x) => ({
    surveyRecordId: Number(x.id),
    occurredAt: new Date(x.occurred_at).toISOString(),
    comment: x.comment,
    csat: x.csat === null ? null : Number(x.csat),
    kudosId: x.kudos_id === null ? null : Number(x.kudos_id),
  }));
}
