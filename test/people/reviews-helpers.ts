// A review-cycle fixture on either back-end: the small organisation of the server tests
// (agents w1..w10 under mgr-a, m1..m10 under mgr-b, a gender attribute, a published CSAT
// policy), a run that opened the quarter's cases (a PIP for w1), then for w1 57 commented
// surveys in 2026-Q1 and two courses with assessment scores.
import { Appraise } from '../../core/app/appraise.ts';
import { FAIRNESS_CONFIG, seedOrganisation } from '../server/helpers.ts';
import { dropSchema, freshSchemaName, POSTGRES_URL } from '../store/backends.ts';
import { loadTemplateFile, SHIPPED_TEMPLATES_DIR } from '../../core/people/reviews/template.ts';
import { packetSectionIds } from '../../core/people/reviews/packet.ts';
import '../../core/people/reviews/sections/index.ts';

export const PERIOD = '2026-Q1';
export const DUE = { self: '2026-04-10', manager: '2026-04-20', signoff: '2026-04-30' };

export async function openApp(backend: 'pglite' | 'postgres'): Promise<{ app: Appraise; close(): Promise<void> }> {
  const schema = backend === 'postgres' ? freshSchemaName() : undefined;
  const app = await Appraise.open(schema ? { config: FAIRNESS_CONFIG(), databaseUrl: POSTGRES_URL, schema } : { config: FAIRNESS_CONFIG(), dataDir: 'memory://', databaseUrl: '' });
  return {
    app,
    close: async () => {
      await app.close();
      if (schema) await dropSchema(schema);
    },
  };
}

/** 57 comments for w1 through the quarter: csat cycling 1..5, each comment naming its csat and day. */
export async function seedReviewData(app: Appraise): Promise<void> {
  await seedOrganisation(app);
  // The run first: its PIP for w1 (CSAT 1.5) is the case of the quarter.
  await app.run({ asOf: new Date('2026-03-31T12:00:00Z'), trigger: 'manual' });
  const s = app.store;
  for (let i = 0; i < 57; i++) {
    const csat = (i % 5) + 1;
    const day = new Date(Date.UTC(2026, 0, 2) + i * 86400000 * 1.5);
    await s.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', 'w1', $1, $2::jsonb, $3)`,
      [day.toISOString(), JSON.stringify({ csat, comment: `Comment ${i} (csat ${csat})`, channel: 'chat' }), `c${i}`]);
  }
  await s.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES
    ('training.training', 'w1', '2026-02-01T09:00:00Z', '{"course":"Handling complaints","preScore":55,"postScore":80}'::jsonb, 't1'),
    ('training.training', 'w1', '2026-03-01T09:00:00Z', '{"course":"Product basics"}'::jsonb, 't2')`);
}

export async function quarterlyTemplate() {
  const loaded = await loadTemplateFile(`${SHIPPED_TEMPLATES_DIR}quarterly.review.yaml`, packetSectionIds());
  if (!loaded.template) throw new Error(JSON.stringify(loaded.diagnostics));
  return { template: loaded.template, templateYaml: loaded.text! };
}

/** A manager assessment rating every section of the quarterly template. */
export const RATINGS = {
  'customer-outcomes': { rating: 2, comment: 'CSAT well below the standard.' },
  'follow-up': { rating: 3 },
  growth: { rating: 4, comment: 'Took two courses.' },
  teamwork: { rating: 4 },
};
export const ANSWERS = {
  'customer-outcomes': 'A hard quarter with many complaints.',
  'follow-up': 'I worked on the plan.',
  growth: 'Two courses.',
  teamwork: 'Helped the new hires.',
};
