// The Zendesk Support connector: registers the `support` source its manifest declares
// (qualified id zendesk.support). The work is in sync.ts (streams and cursor), map.ts (Zendesk
// objects → records and employees) and client.ts (authenticated requests, coded errors).
import type { PluginContext } from 'appraise/plugin-api';
import { createZendeskSource } from './sync.ts';

export function activate(ctx: PluginContext): void {
  ctx.subscriptions.push(ctx.sources.register('support', createZendeskSource()));
}
