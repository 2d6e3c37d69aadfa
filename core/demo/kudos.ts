// Demo kudos: about one for every four people over the last 60 days, between colleagues of the
// same team, with the organisation's values, given through the same function as the API (so
// each writes its feedback.kudos record and audit entry). Seeded: the same demo, the same kudos.
import type { Store } from '../store/store.ts';
import { giveKudos } from '../people/feedback/kudos.ts';
import { Random } from './random.ts';

const DAY = 86_400_000;
const MESSAGES = [
  'Took over my queue during the outage without being asked.',
  'Your macro for refund questions saved me an hour today.',
  'Thanks for walking me through the new billing screens.',
  'Calm and clear on that escalation call. Learned a lot.',
  'Stayed late to close the backlog before the holiday.',
  'Great handover notes: I picked up the customer right where you left off.',
  'Spotted the shipping bug and told engineering before anyone else.',
];

export async function loadDemoKudos(store: Store, asOf: Date, values: readonly string[]): Promise<number> {
  const people = (await store.query<{ id: string; team: string | null }>(`SELECT id, team FROM employees WHERE source = 'demo' AND team IS NOT NULL ORDER BY id`)).rows;
  const byTeam = new Map<string, string[]>();
  for (const p of people) byTeam.set(p.team!, [...(byTeam.get(p.team!) ?? []), p.id]);
  const random = Random.stream(1, 'kudos');
  const count = Math.floor(people.length / 4);
  let given = 0;
  for (let i = 0; i < count; i++) {
    const team = byTeam.get(random.pick(people).team!)!;
    if (team.length < 2) continue;
    const from = random.pick(team);
    const to = random.pick(team.filter((id) => id !== from));
    const at = new Date(asOf.getTime() - random.between(1, 60) * DAY);
    const value = random.chance(0.7) && values.length ? random.pick(values) : undefined;
    await giveKudos(store, { tokenId: 0, name: 'demo', role: 'employee', employeeId: from }, { receiverId: to, message: random.pick(MESSAGES), value }, values, at);
    given++;
  }
  return given;
}
