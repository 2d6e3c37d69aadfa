// Backtest: a draft policy and the version it is compared with, replayed at each cycle boundary
// in a range — what the change would have done over the last quarters. Each boundary is a
// preview (simulateDraft) at the instant the cycle ended, in the as-of view: only what had
// happened by then counts. Nothing is written and no workflow fires.
import type { Store } from '../store/store.ts';
import type { Policy } from '../policy/types.ts';
import type { FairnessReport } from '../fairness/types.ts';
import type { Employee } from './employees.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { Registry } from '../registry/registry.ts';
import { loadPolicyText } from '../policy/load.ts';
import { getVersion, latestVersion } from '../policy/versions.ts';
import { periodOf, type Cycle } from './period.ts';
import { simulateDraft, type SimulationResult } from './simulate.ts';

type Outcome = 'recognition' | 'coaching' | 'pip';
const OUTCOMES: Outcome[] = ['recognition', 'coaching', 'pip'];

/** More boundaries than this is a long replay for one request; a wider range is refused. */
export const MAX_BACKTEST_CYCLES = 12;

export const BACKTEST_VIEW_WORDS = "As of each cycle's end: only what had happened by then counts (responses, resolutions and other events dated later had not happened yet).";

export interface BacktestPerson { employeeId: string; name: string }

export interface BacktestCycle {
  /** The cycle that ended at `asOf`, e.g. 2026-Q1. */
  cycle: string;
  asOf: string;
  inScope: { draft: number; compared: number };
  counts: { draft: Record<Outcome, number>; compared: Record<Outcome, number> };
  /** Per outcome, who gets it under the draft but not under the compared version, and the reverse. */
  newly: Record<Outcome, BacktestPerson[]>;
  noLonger: Record<Outcome, BacktestPerson[]>;
  undecided: { draft: number; compared: number };
  fairness: FairnessReport;
  warnings: SimulationResult['warnings'];
}

export interface BacktestResult {
  policyId: string;
  /** The draft's published version when it was named by id, null for text. */
  draftVersion: number | null;
  /** The version compared with; null when the policy was never published. */
  comparedVersion: number | null;
  cycle: Cycle;
  from: string;
  to: string;
  view: { view: 'as-of'; words: string };
  cycles: BacktestCycle[];
  ms: number;
}

/** The first instant of the cycle containing `d` (UTC; ISO weeks start on Monday). */
function cycleStart(d: Date, cycle: Cycle): Date {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (cycle) {
    case 'year': return new Date(Date.UTC(y, 0, 1));
    case 'quarter': return new Date(Date.UTC(y, m - (m % 3), 1));
    case 'month': return new Date(Date.UTC(y, m, 1));
    case 'week': return new Date(Date.UTC(y, m, d.getUTCDate() - ((d.getUTCDay() + 6) % 7)));
  }
}

function nextStart(start: Date, cycle: Cycle): Date {
  const n = new Date(start);
  if (cycle === 'week') n.setUTCDate(n.getUTCDate() + 7);
  else n.setUTCMonth(n.getUTCMonth() + (cycle === 'year' ? 12 : cycle === 'quarter' ? 3 : 1));
  return n;
}

/**
 * The cycle boundaries within from..to (both included): each is the instant one cycle ends and
 * the next begins. Refuses an empty or reversed range and more than MAX_BACKTEST_CYCLES.
 */
export function cycleBoundaries(from: Date, to: Date, cycle: Cycle): Date[] {
  if (from > to) throw new AppraiseError('APPRAISE_BACKTEST_RANGE', `The backtest range is reversed: from ${from.toISOString().slice(0, 10)} is after to ${to.toISOString().slice(0, 10)}. Give the earlier date as from.`, { field: 'from' });
  let b = cycleStart(from, cycle);
  if (b < from) b = nextStart(b, cycle);
  const out: Date[] = [];
  for (; b <= to; b = nextStart(b, cycle)) {
    if (out.length === MAX_BACKTEST_CYCLES) {
      throw new AppraiseError('APPRAISE_BACKTEST_RANGE', `The range holds more than ${MAX_BACKTEST_CYCLES} ${cycle} boundaries; backtest at most ${MAX_BACKTEST_CYCLES} cycles at a time (a shorter range or a longer cycle).`, { field: 'to', max: MAX_BACKTEST_CYCLES });
    }
    out.push(b);
  }
  if (out.length === 0) {
    throw new AppraiseError('APPRAISE_BACKTEST_RANGE', `No ${cycle} ends between ${from.toISOString().slice(0, 10)} and ${to.toISOString().slice(0, 10)}; widen the range to include at least one ${cycle} boundary (e.g. the first day of a ${cycle}).`, { field: 'to' });
  }
  return out;
}

export interface BacktestOptions {
  from: Date;
  to: Date;
  /** Default: the draft's spec.cycle, else quarter. */
  cycle?: Cycle;
  /** `published` (the latest published version, the default) or a version number. */
  against?: 'published' | number;
  /** The draft's own version when it was named by id. */
  draftVersion?: number;
  /** The four-fifths report of a population and who was selected, as the editor's preview builds it. */
  fairness: (population: Employee[], selected: Record<Outcome, Set<string>>) => FairnessReport;
}

/** A published version as the draft to backtest (the latest when no version is named). */
export async function publishedDraft(store: Store, registry: Registry, policyId: string, version?: number): Promise<{ policy: Policy; version: number }> {
  const v = await getVersion(store, policyId, version);
  const loaded = loadPolicyText(`${policyId}@v${v.version}`, v.yaml, registry);
  if (!loaded.policy) throw new AppraiseError('APPRAISE_POLICY_INVALID', `Version ${v.version} of \`${policyId}\` no longer loads; backtest a corrected file instead.`, { diagnostics: loaded.diagnostics });
  return { policy: loaded.policy, version: v.version };
}

export async function backtestDraft(
  store: Store,
  deps: Parameters<typeof simulateDraft>[1],
  draft: Policy,
  o: BacktestOptions,
): Promise<BacktestResult> {
  const started = performance.now();
  const cycle = o.cycle ?? draft.spec.cycle ?? 'quarter';
  const boundaries = cycleBoundaries(o.from, o.to, cycle);
  const policyId = draft.metadata.id;
  const against = o.against === undefined || o.against === 'published' ? await latestVersion(store, policyId) : o.against;
  const cycles: BacktestCycle[] = [];
  for (const asOf of boundaries) {
    const sim = await simulateDraft(store, deps, draft, asOf, against || undefined);
    cycles.push(cycleOf(sim, cycle, asOf, o.fairness(sim.population, sim.selected)));
  }
  return {
    policyId,
    draftVersion: o.draftVersion ?? null,
    comparedVersion: against || null,
    cycle,
    from: o.from.toISOString(),
    to: o.to.toISOString(),
    view: { view: 'as-of', words: BACKTEST_VIEW_WORDS },
    cycles,
    ms: Math.round(performance.now() - started),
  };
}

function cycleOf(sim: SimulationResult, cycle: Cycle, asOf: Date, fairness: FairnessReport): BacktestCycle {
  const byOutcome = (): Record<Outcome, BacktestPerson[]> => ({ recognition: [], coaching: [], pip: [] });
  const newly = byOutcome();
  const noLonger = byOutcome();
  // Each changed person's outcomes before (compared) and after (draft): gained and lost per outcome.
  const changes = [
    ...sim.newlyAffected.map((e) => ({ ...e, before: [] as Outcome[], after: e.outcomes })),
    ...sim.noLongerAffected.map((e) => ({ ...e, before: e.outcomes, after: [] as Outcome[] })),
    ...sim.changedOutcome,
  ].sort((x, y) => x.employeeId.localeCompare(y.employeeId));
  for (const c of changes) {
    const person = { employeeId: c.employeeId, name: c.name };
    for (const o of OUTCOMES) {
      if (c.after.includes(o) && !c.before.includes(o)) newly[o].push(person);
      if (c.before.includes(o) && !c.after.includes(o)) noLonger[o].push(person);
    }
  }
  return {
    // The boundary is the first instant of the next cycle; the cycle replayed is the one it closes.
    cycle: periodOf(new Date(asOf.getTime() - 1), cycle),
    asOf: asOf.toISOString(),
    inScope: { draft: sim.inScope.draft, compared: sim.inScope.published },
    counts: { draft: sim.counts.draft, compared: sim.counts.published },
    newly,
    noLonger,
    undecided: { draft: sim.undecided.draft, compared: sim.undecided.published },
    fairness,
    warnings: sim.warnings,
  };
}
