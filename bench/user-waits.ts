// What users wait for, as they meet it: the dashboard through the real server (fastify's
// `inject`, in process: routing, access, the handler, serialisation), a preview of a policy
// draft (`simulateDraft`, what the editor calls). Cold is the first after the import; warm is
// what follows. (Opening cases is bench/case-opening.ts.)
import type { Appraise } from '../core/app/appraise.ts';
import { buildServer } from '../core/server/app.ts';
import { createToken } from '../core/auth/tokens.ts';
import { simulateDraft } from '../core/run/simulate.ts';
import type { Policy } from '../core/policy/types.ts';
import { summary } from './stats.ts';

export interface Dashboard {
  /** One GET /api/dashboard as an HR admin would send it: milliseconds and response bytes. */
  get(): Promise<{ ms: number; bytes: number }>;
  /** Warm requests: at least `min`, then more until `max` or `budgetMs` has passed. */
  warm(min?: number, max?: number, budgetMs?: number): Promise<ReturnType<typeof summary>>;
  close(): Promise<void>;
}

export async function dashboardServer(app: Appraise, asOf: Date): Promise<Dashboard> {
  // The limits of costly requests per token would refuse the bench's own series.
  const server = await buildServer(app, { logger: false, limits: { perMinute: 100_000, atOnce: 100 } });
  const { token } = await createToken(app.store, { name: 'bench', role: 'admin', createdBy: 'bench' });
  const url = `/api/dashboard?asOf=${encodeURIComponent(asOf.toISOString())}`;
  const get = async () => {
    const t = performance.now();
    const r = await server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const elapsed = performance.now() - t;
    if (r.statusCode !== 200) throw new Error(`GET ${url} answered ${r.statusCode}: ${r.body.slice(0, 300)}`);
    return { ms: elapsed, bytes: r.rawPayload.length };
  };
  return {
    get,
    async warm(min = 10, max = 20, budgetMs = 60_000) {
      const times: number[] = [];
      const start = performance.now();
      while (times.length < min || (times.length < max && performance.now() - start < budgetMs)) times.push((await get()).ms);
      return summary(times);
    },
    close: () => server.close(),
  };
}

/** One preview of the draft against the published version; milliseconds. */
export async function preview(app: Appraise, draft: Policy, asOf: Date): Promise<number> {
  const t = performance.now();
  await simulateDraft(app.store, { registry: app.registry, metrics: app.plugins.metrics }, draft, asOf);
  return performance.now() - t;
}
