// The worker notice of a policy version (EU AI Act Art. 26(7): workers are told before a system
// that evaluates them is used). It is generated from the checked policy and the metric
// catalogue, never written by hand: what is measured, from which data and over which windows;
// which outcomes can follow and at what thresholds; who approves an improvement plan (only what
// the rules really require); that missing data never leads to an adverse outcome; how to see
// one's own explanation and dispute it; whom to contact. The same input always gives the same
// text (no clock, no randomness), so its hash identifies it.
import { createHash } from 'node:crypto';
import type { MetricInfo, MetricUnit, Registry } from '../../registry/registry.ts';
import type { MetricContribution } from '../../plugins/manifest.ts';
import { aggregateRecordKinds, type AggregateExpression } from '../../metrics/aggregate.ts';
import { durationWords } from '../../policy/duration.ts';
import { factPhrase } from '../../evaluate/fact-words.ts';
import { isAll, isAny, isFactRef, isLeaf, isNot, isReference, DEFAULT_MIN_GROUP_SIZE, DEFAULT_WINDOW, type Condition, type LeafCondition, type Policy, type Rule } from '../../policy/types.ts';
import type { Outcome } from '../../policy/builtin-facts.ts';
import { amountWords, dayWords, inSentence, kindCount, kindPlural, listWords, operatorWords, selectorWords, unitWords, windowWords } from './words.ts';
import { enforcedFromOf, noticePeriodWords } from './notice-period.ts';

export interface NoticeSettings {
  /** `policies.noticeDays`: days from going in force to being enforced. */
  noticeDays: number;
  /** `policies.notice.contact`: whom workers ask about the policy. */
  contact?: string;
}

/** A line of the notice, with the lines under it (a rule's conditions). */
export interface NoticeItem {
  text: string;
  items?: NoticeItem[];
}

export type NoticeSectionId = 'scope' | 'measures' | 'outcomes' | 'approval' | 'missing-data' | 'explanation' | 'dispute' | 'contact';

export interface NoticeSection {
  id: NoticeSectionId;
  heading: string;
  paragraphs: string[];
  items?: NoticeItem[];
}

/** One thing the policy measures: a fact it declares, in words. */
export interface NoticeMeasure {
  fact: string;
  metric: string;
  title: string;
  unit?: MetricUnit;
  /** The record kinds' titles it is computed from. */
  from: string[];
  window: string;
  offset?: string;
  minSamples: number;
  percentileWithin?: string;
  text: string;
}

/** One outcome a rule can lead to. */
export interface NoticeOutcome {
  ruleId: string;
  outcome: Outcome;
  /** Whether a person must approve it before it takes effect (only PIPs have an approval step). */
  approval: 'required' | 'none';
  text: string;
}

export interface WorkerNotice {
  policyId: string;
  version: number;
  title: string;
  /** The content hash of the policy text the notice was generated from. */
  policyHash: string;
  /** When the version went in force. */
  inForceAt: string;
  noticeDays: number;
  /** When the version's decisions first open cases (inForceAt when noticeDays is 0). */
  enforcedFrom: string;
  mode: 'enforce' | 'audit';
  /** Whether every improvement plan the policy can propose needs a person's approval. */
  everyPipApproved: boolean;
  measures: NoticeMeasure[];
  outcomes: NoticeOutcome[];
  sections: NoticeSection[];
  /** The whole notice as plain text; `textHash` is its SHA-256. */
  text: string;
  textHash: string;
}

export interface NoticeInput {
  policy: Policy;
  version: number;
  policyHash: string;
  inForceAt: string;
  registry: Registry;
  settings: NoticeSettings;
}

const OUTCOME_NOUN: Record<Outcome, string> = { recognition: 'Recognition', coaching: 'Coaching', pip: 'An improvement plan (PIP)' };
const PIP_APPROVERS = 'someone with the HR or admin role'; // core/auth/scope.ts PERMISSIONS.approvePip

export function generateNotice(input: NoticeInput): WorkerNotice {
  const { policy, registry, settings } = input;
  const spec = policy.spec;
  const measures = Object.entries(spec.facts ?? {}).map(([fact]) => measureOf(policy, registry, fact)!).filter(Boolean);
  const byFact = new Map(measures.map((m) => [m.fact, m]));
  const rules = [...spec.rules].map((r, i) => ({ r, i })).sort((a, b) => (b.r.priority ?? 1) - (a.r.priority ?? 1) || a.i - b.i).map((x) => x.r);
  const outcomes = rules.map((r) => outcomeOf(policy, r));
  const pipRules = outcomes.filter((o) => o.outcome === 'pip');
  const unapproved = pipRules.filter((o) => o.approval === 'none');
  const mode = spec.mode ?? 'enforce';
  const enforcedFrom = enforcedFromOf(input.inForceAt, settings.noticeDays);
  const cycle = spec.cycle ?? 'quarter';

  const scope: string[] = [
    `${selectorWords(spec.appliesTo)} are evaluated by this policy. Each rule opens at most one case per person per ${cycle}.`,
  ];
  if (mode === 'audit') scope.push('This policy runs in audit mode: its decisions are recorded, but no case is opened and nothing follows from them for you.');
  else if (settings.noticeDays > 0) scope.push(`This version took effect on ${dayWords(input.inForceAt)} and is ${noticePeriodWords(enforcedFrom, settings.noticeDays)}. Until then its decisions are recorded, but no case is opened.`);
  else scope.push(`This version is in force from ${dayWords(input.inForceAt)}.`);

  const approval: string[] = [];
  if (!pipRules.length) approval.push('This policy never proposes an improvement plan (PIP).');
  else if (!unapproved.length) approval.push(`A person approves every improvement plan (PIP): a PIP this policy proposes takes effect only after ${PIP_APPROVERS} has approved it.`);
  else {
    approval.push(`Not every improvement plan (PIP) needs a person's approval: ${listWords(unapproved.map((o) => `the rule “${o.ruleId}”`))} ${unapproved.length === 1 ? 'starts' : 'start'} a PIP at once, without anyone approving it.`);
    const approved = pipRules.filter((o) => o.approval === 'required');
    if (approved.length) approval.push(`A PIP from ${listWords(approved.map((o) => `the rule “${o.ruleId}”`))} takes effect only after ${PIP_APPROVERS} has approved it.`);
  }
  const direct = (['coaching', 'recognition'] as const).filter((o) => rules.some((r) => r.then.outcome === o));
  if (direct.length) approval.push(`${listWords(direct.map((o, i) => (i === 0 ? OUTCOME_NOUN[o] : OUTCOME_NOUN[o].toLowerCase())))} ${direct.length === 1 ? 'is' : 'are'} opened without an approval step.`);

  const sections: NoticeSection[] = [
    { id: 'scope', heading: 'Who this applies to', paragraphs: scope },
    {
      id: 'measures',
      heading: 'What is measured',
      paragraphs: measures.length ? ['The policy reads these measures, each counted back from the day of the evaluation:'] : ['The policy reads no measure of your work; its rules use only the facts named below.'],
      items: measures.map((m) => ({ text: m.text })),
    },
    {
      id: 'outcomes',
      heading: 'What can follow, and when',
      paragraphs: [spec.hitPolicy === 'first'
        ? 'The rules are checked in this order; only the first one that applies to you counts.'
        : 'Each rule is checked on its own; more than one can apply.'],
      items: outcomes.map((o, i) => ({ text: o.text, items: conditionItems(policy, rules[i].when, byFact, registry) })),
    },
    { id: 'approval', heading: 'Human approval', paragraphs: approval },
    {
      id: 'missing-data',
      heading: 'When data is missing',
      paragraphs: ['Missing data never leads to an adverse outcome. When a measure has fewer data points than the number it needs, or cannot be computed, a rule that depends on it is not decided, and nothing is opened because of it. The explanation says which data was missing.'],
    },
    {
      id: 'explanation',
      heading: 'Seeing your own explanation',
      paragraphs: ['Sign in to Appraise and open “My cases”: each case opened for you shows which conditions were met, your own numbers, the days they cover and how many data points they came from. “How I am evaluated” lists this notice and the earlier versions of it.'],
    },
    {
      id: 'dispute',
      heading: 'Disputing a case',
      paragraphs: ['If you think a case is wrong, open it from “My cases” and choose “Dispute this”, saying why. HR reviews every dispute and upholds, amends or overturns the case, with a note you can read; an overturned case never counts towards a later case.'],
    },
    {
      id: 'contact',
      heading: 'Whom to contact',
      paragraphs: [
        settings.contact?.trim()
          ? `Questions about this policy or this notice: ${settings.contact.trim()}.`
          : 'No contact has been named for these notices yet (the setting policies.notice.contact is empty). Until one is, ask your manager or your HR team.',
        `The policy's owner is ${policy.metadata.owner}.`,
      ],
    },
  ];
  const text = renderText(policy.metadata.title, input.version, sections);
  return {
    policyId: policy.metadata.id,
    version: input.version,
    title: policy.metadata.title,
    policyHash: input.policyHash,
    inForceAt: new Date(input.inForceAt).toISOString(),
    noticeDays: settings.noticeDays,
    enforcedFrom,
    mode,
    everyPipApproved: unapproved.length === 0,
    measures,
    outcomes,
    sections,
    text,
    textHash: createHash('sha256').update(text).digest('hex'),
  };
}

/** The record kinds a metric reads: its own, those its formula names, and those it declares it reads. */
function metricKinds(m: MetricInfo): string[] {
  const c = m as Partial<MetricContribution>;
  const formula = c.aggregate !== undefined && m.recordKind ? aggregateRecordKinds(c.aggregate as AggregateExpression, m.recordKind) : [];
  return [...new Set([...(m.recordKind ? [m.recordKind] : []), ...formula, ...(c.reads ?? []).map((r) => r.recordKind)])];
}

function measureOf(policy: Policy, registry: Registry, fact: string): NoticeMeasure | undefined {
  const decl = policy.spec.facts?.[fact];
  if (!decl) return undefined;
  const m = registry.metrics.get(decl.metric);
  const variant = m?.variants ? m.variants.values[String(decl.params?.[m.variants.param] ?? '')] : undefined;
  const unit = variant?.unit ?? m?.unit;
  const range = variant ? variant.range : m?.range;
  const title = m?.title ?? decl.metric;
  const from = m ? metricKinds(m).map((k) => registry.recordKinds?.get(k)?.title ?? k) : [];
  const window = decl.window ?? policy.spec.window ?? DEFAULT_WINDOW;
  const minSamples = decl.minSamples ?? m?.defaultMinSamples ?? 0;
  const parts = [`${title}${decl.description ? ` (${decl.description})` : ''}: ${unitWords(unit, range)}${m?.direction ? `, ${m.direction === 'higherIsBetter' ? 'higher is better' : 'lower is better'}` : ''}`];
  if (from.length) parts.push(`from ${listWords(from.map(kindPlural))}`);
  parts.push(windowWords(window, decl.offset));
  let text = `${parts.join(', ')}`;
  text += minSamples > 0 ? `; it needs at least ${from.length ? kindCount(minSamples, from[0]) : `${minSamples} data points`}, otherwise it counts as missing.` : '.';
  if (decl.percentileWithin) {
    const group = decl.percentileWithin === 'all' ? 'everyone the policy applies to' : `your ${decl.percentileWithin}`;
    text += ` It is used as your rank within ${group}, from 0 to 100 (100 is the best), among at least ${decl.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE} people with enough data.`;
  }
  return {
    fact, metric: decl.metric, title, ...(unit ? { unit } : {}), from, window, ...(decl.offset ? { offset: decl.offset } : {}), minSamples,
    ...(decl.percentileWithin ? { percentileWithin: decl.percentileWithin } : {}), text,
  };
}

function outcomeOf(policy: Policy, rule: Rule): NoticeOutcome {
  const outcome = rule.then.outcome;
  const approval = outcome === 'pip' ? rule.approval ?? 'required' : 'none';
  const labels = policy.spec.labels ?? {};
  const params = rule.then.params ?? {};
  const what: string[] = [];
  const named = [params.award, params.programme].find((v) => typeof v === 'string') as string | undefined;
  if (named) what.push(labels[named] ?? named.replace(/[-_]+/g, ' '));
  if (typeof params.planDays === 'number') what.push(`a plan of ${params.planDays} days${typeof params.checkInEveryDays === 'number' ? ` with a check-in every ${params.checkInEveryDays} days` : ''}`);
  const sentences = [`${OUTCOME_NOUN[outcome]}${what.length ? `, ${what.join('; ')}` : ''}${rule.description ? `: ${lowerFirst(rule.description.replace(/\.$/, ''))}` : ''}.`];
  if (outcome === 'pip') sentences.push(approval === 'required' ? 'It is proposed, and takes effect only once a person approves it.' : 'It starts at once, without anyone approving it.');
  if (rule.cooldown) sentences.push(`At most once every ${durationWords(rule.cooldown)}.`);
  sentences.push(`It follows when ${isAny(rule.when) ? 'at least one of these holds' : isNot(rule.when) ? 'none of this holds' : 'all of these hold'}:`);
  const text = sentences.join(' ');
  return { ruleId: rule.id, outcome, approval, text };
}

/** A rule's conditions as lines: the top group's children, nested groups under their heading. */
function conditionItems(policy: Policy, when: Condition, byFact: Map<string, NoticeMeasure>, registry: Registry, seen = new Set<string>()): NoticeItem[] {
  const top = isAll(when) ? when.all : isAny(when) ? when.any : isNot(when) ? [when.not] : [when];
  return top.map((c) => conditionItem(policy, c, byFact, registry, seen));
}

function conditionItem(policy: Policy, c: Condition, byFact: Map<string, NoticeMeasure>, registry: Registry, seen: Set<string>): NoticeItem {
  if (isReference(c)) {
    const shared = policy.spec.conditions?.[c.condition];
    if (!shared || seen.has(c.condition)) return { text: c.condition };
    const inner = new Set(seen).add(c.condition);
    if (isLeaf(shared)) return conditionItem(policy, shared, byFact, registry, inner);
    const children = conditionItems(policy, shared, byFact, registry, inner);
    // A shared condition of one condition reads as that condition, named.
    if (children.length === 1 && !isNot(shared) && !children[0].items) return { text: `${c.name ?? humanName(c.condition)} (${children[0].text})` };
    return { text: `${c.name ?? humanName(c.condition)}: ${groupHead(shared)}`, items: conditionItems(policy, shared, byFact, registry, inner) };
  }
  // A condition the policy names keeps its name, as the explanations show it (ui/lib/condition-words.ts).
  if (isLeaf(c)) return { text: c.name ? `${c.name} (${leafWords(policy, c, byFact, registry)})` : leafWords(policy, c, byFact, registry) };
  return { text: `${c.name ? `${c.name}: ` : ''}${groupHead(c)}`, items: conditionItems(policy, c, byFact, registry, seen) };
}

const lowerFirst = (t: string) => (/^[A-Z][a-z]/.test(t) ? t[0].toLowerCase() + t.slice(1) : t);
const groupHead = (c: Condition) => (isAny(c) ? 'at least one of these' : isNot(c) ? 'none of this' : 'all of these');
const humanName = (id: string) => id.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

/** One condition: "your customer satisfaction (CSAT) over the last 90 days is below 3.6 out of 5 (from at least 20 customer survey responses)". */
function leafWords(policy: Policy, l: LeafCondition, byFact: Map<string, NoticeMeasure>, registry: Registry): string {
  const m = byFact.get(l.fact);
  const op = operatorWords(l.operator);
  if (!m) {
    const phrase = factPhrase(l.fact, { path: l.path, params: l.params });
    if (typeof l.value === 'boolean' && (l.operator === 'equal' || l.operator === 'notEqual')) return `${phrase}: ${l.operator === 'notEqual' ? 'not ' : ''}${l.value ? 'yes' : 'no'}`;
    return `${phrase}: ${op} ${isFactRef(l.value) ? side(l.value.fact, byFact) : amountWords(l.value, undefined)}`;
  }
  const info = registry.metrics.get(m.metric);
  const range = m.percentileWithin ? ([0, 100] as [number, number]) : info?.variants?.values[String(policy.spec.facts?.[m.fact]?.params?.[info.variants.param] ?? '')]?.range ?? info?.range;
  const unit = m.percentileWithin ? undefined : m.unit;
  const rhs = isFactRef(l.value) ? side(l.value.fact, byFact) : amountWords(l.value, unit, range);
  const samples = m.minSamples > 0 ? ` (from at least ${m.from.length ? kindCount(m.minSamples, m.from[0]) : `${m.minSamples} data points`})` : '';
  return `${side(l.fact, byFact)} is ${op} ${rhs}${samples}`;
}

/** A fact as the subject of a condition: "your quota attainment over the last 92 days", "your rank in your team by quota attainment". */
function side(fact: string, byFact: Map<string, NoticeMeasure>): string {
  const m = byFact.get(fact);
  if (!m) return factPhrase(fact);
  const window = windowWords(m.window, m.offset);
  if (m.percentileWithin) {
    const group = m.percentileWithin === 'all' ? 'everyone the policy applies to' : `your ${m.percentileWithin}`;
    return `your rank (0 to 100) within ${group} by ${inSentence(m.title)} ${window}`;
  }
  return `your ${inSentence(m.title)} ${window}`;
}

/** The notice as plain text: the title, then each section with its lines. */
export function renderText(title: string, version: number, sections: NoticeSection[]): string {
  const lines = [`How “${title}” evaluates your work (version ${version})`, ''];
  const item = (it: NoticeItem, depth: number) => {
    lines.push(`${'  '.repeat(depth)}- ${it.text}`);
    for (const child of it.items ?? []) item(child, depth + 1);
  };
  for (const s of sections) {
    lines.push(s.heading, ...s.paragraphs);
    for (const it of s.items ?? []) item(it, 0);
    lines.push('');
  }
  return lines.join('\n').trimEnd() + '\n';
}
