// The packet of one review: frozen at sign-off (the record kept), assembled from the data while
// the review runs.
import type { MetricContribution } from '../../plugins/manifest.ts';
import type { PluginHost } from '../../plugins/host.ts';
import type { Registry } from '../../registry/registry.ts';
import type { Store } from '../../store/store.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import type { Cycle } from '../../run/period.ts';
import { assemblePacket, packetEmployee, type Packet } from './packet.ts';
import { periodRange } from './period-range.ts';
import './sections/index.ts';

export interface PacketDeps {
  registry: Registry;
  metrics: ReadonlyMap<string, MetricContribution>;
  host?: PluginHost;
}

/** The packet as it stands now, assembled from the data (never the frozen one). */
export async function assembleReviewPacket(store: Store, deps: PacketDeps, reviewId: number, now: Date = new Date()): Promise<Packet> {
  const r = (await store.query<{ cycle_id: string; employee_id: string; period: string }>(
    'SELECT r.cycle_id, r.employee_id, c.period FROM reviews r JOIN review_cycles c ON c.id = r.cycle_id WHERE r.id = $1', [reviewId],
  )).rows[0];
  if (!r) throw new AppraiseError('APPRAISE_REVIEW_NOT_FOUND', `There is no review ${reviewId}.`, { reviewId });
  const range = periodRange(r.period);
  const { employee, forMetrics } = await packetEmployee(store, r.employee_id);
  const asOf = now < range.to ? now : range.to;
  return assemblePacket({
    store, registry: deps.registry, metrics: deps.metrics, host: deps.host, employee, employeeForMetrics: forMetrics,
    cycleId: r.cycle_id, period: r.period, cycle: range.cycle as Cycle, from: range.from, to: range.to, asOf,
  }, now);
}

/** The frozen packet once the review is signed off; until then, the live one. */
export async function reviewPacket(store: Store, deps: PacketDeps, reviewId: number, now: Date = new Date()): Promise<{ frozen: boolean; packet: Packet }> {
  const r = (await store.query<{ packet: Packet | null }>('SELECT packet FROM reviews WHERE id = $1', [reviewId])).rows[0];
  if (!r) throw new AppraiseError('APPRAISE_REVIEW_NOT_FOUND', `There is no review ${reviewId}.`, { reviewId });
  if (r.packet) return { frozen: true, packet: r.packet };
  return { frozen: false, packet: await assembleReviewPacket(store, deps, reviewId, now) };
}
