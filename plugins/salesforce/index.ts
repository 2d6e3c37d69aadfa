// The Salesforce connector: opportunities → sales.deal, ForecastingQuota → sales.quota, and the
// owners as employees, read incrementally over the REST API (see ./sync.ts for the streams and
// the cursor, ./client.ts for auth and error answers).
import type { PluginContext } from 'appraise/plugin-api';
import { syncSalesforce } from './sync.ts';

export function activate(ctx: PluginContext): void {
  ctx.subscriptions.push(ctx.sources.register('opportunities', { sync: (sctx, cursor) => syncSalesforce(sctx, cursor) }));
}
