// Packet section `verbatims`: what customers wrote in the period's surveys. Never a hand-picked
// selection: the lowest-scored, the highest-scored and some at random (seeded by the cycle and
// the employee, so the same packet shows the same comments every time), with the counts stated.
import { Random } from '../../../demo/random.ts';
import type { PacketSection } from '../packet.ts';

export const SURVEY_KIND = 'customer-feedback.survey';
export const SAMPLE = { lowest: 3, highest: 3, random: 4 };

/** The survey's own scales: a comment is ranked by its first score, placed between that scale's ends. */
const SCORES: Array<{ field: 'csat' | 'nps' | 'ces'; min: number; max: number; label: string }> = [
  { field: 'csat', min: 1, max: 5, label: 'satisfaction' },
  { field: 'nps', min: 0, max: 10, label: 'likelihood to recommend' },
  { field: 'ces', min: 1, max: 7, label: 'ease' },
];

export interface Verbatim {
  at: string;
  comment: string;
  /** e.g. "satisfaction 2 of 5"; null when the survey has no score. */
  score: string | null;
  channel: string | null;
  /** Why it is shown. */
  picked: 'lowest' | 'highest' | 'random' | 'all';
}

export interface VerbatimData {
  total: number;
  /** How many of each were picked; all zero when every comment is shown (no more than the sample's size). */
  counts: { lowest: number; highest: number; random: number };
  /** "3 lowest, 3 highest and 4 at random of 57 comments" */
  statement: string;
  comments: Verbatim[];
}

interface Row {
  id: string | number;
  occurred_at: string | Date;
  payload: { comment?: string; csat?: number; nps?: number; ces?: number; channel?: string };
}

function rank(p: Row['payload']): { position: number; words: string | null } {
  for (const s of SCORES) {
    const v = p[s.field];
    if (typeof v === 'number') return { position: (v - s.min) / (s.max - s.min), words: `${s.label} ${v} of ${s.max}` };
  }
  return { position: 0.5, words: null };
}

export function sampleStatement(total: number, counts: VerbatimData['counts'] | 'all'): string {
  if (total === 0) return 'No customer wrote a comment in this period.';
  if (counts === 'all') return `All ${total} comment${total === 1 ? '' : 's'} of the period.`;
  return `${counts.lowest} lowest, ${counts.highest} highest and ${counts.random} at random of ${total} comments.`;
}

/** The sample: ranked by score (ties by time, then id), ends first, then a seeded draw from the middle. */
export function sampleVerbatims(rows: readonly Row[], seed: string): VerbatimData {
  const ranked = rows.map((r) => ({ r, ...rank(r.payload) }))
    .sort((a, b) => a.position - b.position || new Date(a.r.occurred_at).getTime() - new Date(b.r.occurred_at).getTime() || Number(a.r.id) - Number(b.r.id));
  const total = ranked.length;
  const show = (x: (typeof ranked)[number], picked: Verbatim['picked']): Verbatim => ({
    at: new Date(x.r.occurred_at).toISOString(), comment: String(x.r.payload.comment), score: x.words, channel: x.r.payload.channel ?? null, picked,
  });
  if (total <= SAMPLE.lowest + SAMPLE.highest + SAMPLE.random) {
    return { total, counts: { lowest: 0, highest: 0, random: 0 }, statement: sampleStatement(total, 'all'), comments: ranked.map((x) => show(x, 'all')) };
  }
  const lowest = ranked.slice(0, SAMPLE.lowest);
  const highest = ranked.slice(total - SAMPLE.highest);
  const middle = ranked.slice(SAMPLE.lowest, total - SAMPLE.highest);
  const random = Random.stream(0, `verbatims/${seed}`);
  // A partial Fisher–Yates shuffle: the first `SAMPLE.random` of the middle, drawn without repeats.
  for (let i = 0; i < SAMPLE.random; i++) {
    const j = i + Math.floor(random.float() * (middle.length - i));
    [middle[i], middle[j]] = [middle[j], middle[i]];
  }
  const drawn = middle.slice(0, SAMPLE.random).sort((a, b) => a.position - b.position);
  const counts = { lowest: lowest.length, highest: highest.length, random: drawn.length };
  return {
    total, counts, statement: sampleStatement(total, counts),
    comments: [...lowest.map((x) => show(x, 'lowest')), ...drawn.map((x) => show(x, 'random')), ...highest.map((x) => show(x, 'highest'))],
  };
}

export const verbatimsSection: PacketSection<VerbatimData> = {
  id: 'verbatims',
  title: 'What customers wrote',
  async assemble(ctx) {
    const rows = (await ctx.store.query<Row>(
      `SELECT id, occurred_at, payload FROM records
       WHERE kind = $1 AND employee_id = $2 AND occurred_at >= $3 AND occurred_at < $4 AND length(trim(coalesce(payload->>'comment', ''))) > 0
       ORDER BY occurred_at, id`,
      [SURVEY_KIND, ctx.employee.id, ctx.from.toISOString(), ctx.asOf.toISOString()],
    )).rows;
    const data = sampleVerbatims(rows, `${ctx.cycleId}/${ctx.employee.id}`);
    return { summary: data.statement, data };
  },
};
