// The worker notice of each shipped policy reads correctly against its YAML. The test reads the
// YAML and the plugins' manifests itself (not through the engine's loader) and checks the key
// facts a worker must be told: each metric's title, its window and the data points it needs;
// each threshold in its unit ("3.6 out of 5", "60%", "4 hours"); and the approval of PIPs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { registryFromManifests } from '../../core/plugins/catalogue.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { generateNotice, type NoticeItem, type WorkerNotice } from '../../core/compliance/notices/generate.ts';
import type { Registry } from '../../core/registry/registry.ts';

const ROOT = join(import.meta.dirname, '../..');
const RULES = join(ROOT, 'rules');
const files = readdirSync(RULES).filter((f) => f.endsWith('.policy.yaml'));

interface ManifestMetric { id: string; title: string; unit: string; range?: [number | null, number | null]; defaultMinSamples: number }
/** `customer-feedback.csat` → its manifest entry, read from plugins/<id>/package.json. */
const catalogue = new Map<string, ManifestMetric>();
for (const dir of readdirSync(join(ROOT, 'plugins'))) {
  let pkg: { appraise?: { contributes?: { metrics?: ManifestMetric[] } } };
  try {
    pkg = JSON.parse(readFileSync(join(ROOT, 'plugins', dir, 'package.json'), 'utf8'));
  } catch {
    continue;
  }
  for (const m of pkg.appraise?.contributes?.metrics ?? []) catalogue.set(`${dir}.${m.id}`, m);
}

const OPERATOR = { lessThan: 'below', lessThanInclusive: 'at most', greaterThan: 'above', greaterThanInclusive: 'at least', equal: 'equal to' } as Record<string, string>;
const days = (literal: string) => `${Number(/^(\d+)d$/.exec(literal)![1])} days`;
const HOURS = (literal: string) => `${Number(/^(\d+)h$/.exec(literal)![1])} hours`;

/** A threshold as a worker reads it, computed here from the manifest's unit and range. */
function expectedAmount(value: unknown, m: ManifestMetric, percentile: boolean): string {
  if (percentile) return String(value);
  if (m.unit === 'duration') return HOURS(String(value));
  if (m.unit === 'ratio') return `${Math.round(Number(value) * 1000) / 10}%`;
  if (m.unit === 'percent') return `${value}%`;
  if (m.unit === 'score' && m.range?.[0] === 1) return `${value} out of ${m.range[1]}`;
  if (m.unit === 'score') return `${value} on a scale from ${m.range![0]} to ${m.range![1]}`;
  return String(value);
}

function flatten(items: NoticeItem[] | undefined): string[] {
  return (items ?? []).flatMap((i) => [i.text, ...flatten(i.items)]);
}

type Leaf = { fact: string; operator: string; value: unknown };
function leaves(c: Record<string, unknown>, shared: Record<string, Record<string, unknown>>): Leaf[] {
  if (Array.isArray(c.all)) return c.all.flatMap((x) => leaves(x, shared));
  if (Array.isArray(c.any)) return c.any.flatMap((x) => leaves(x, shared));
  if (c.not) return leaves(c.not as Record<string, unknown>, shared);
  if (typeof c.condition === 'string') return leaves(shared[c.condition], shared);
  return [c as unknown as Leaf];
}

let registry: Registry;
beforeAll(async () => {
  registry = await registryFromManifests();
});

describe.each(files)('the worker notice of rules/%s', (file) => {
  const text = readFileSync(join(RULES, file), 'utf8');
  // The policy as the test reads it, independently of the engine.
  const doc = parse(text) as {
    metadata: { id: string; title: string };
    spec: {
      window?: string;
      facts: Record<string, { metric: string; window?: string; offset?: string; minSamples?: number; percentileWithin?: string }>;
      conditions?: Record<string, Record<string, unknown>>;
      rules: Array<{ id: string; when: Record<string, unknown>; then: { outcome: string }; approval?: string }>;
    };
  };
  let notice: WorkerNotice;
  beforeAll(() => {
    const loaded = loadPolicyText(file, text, registry);
    expect(loaded.policy, JSON.stringify(loaded.diagnostics)).toBeDefined();
    notice = generateNotice({ policy: loaded.policy!, version: 3, policyHash: 'h', inForceAt: '2026-12-05T09:00:00Z', registry, settings: { noticeDays: 0 } });
  });

  it('names every metric by its catalogue title, with its window and the data points it needs', () => {
    const measures = notice.sections.find((s) => s.id === 'measures')!.items!.map((i) => i.text);
    for (const [name, fact] of Object.entries(doc.spec.facts)) {
      const m = catalogue.get(fact.metric)!;
      const window = days(fact.window ?? doc.spec.window ?? '90d');
      const when = fact.offset ? `over the ${window} before the last ${days(fact.offset)}` : `over the last ${window}`;
      const needs = fact.minSamples ?? m.defaultMinSamples;
      const line = measures.find((t) => t.startsWith(m.title) && t.includes(when) && t.includes(`at least ${needs} `) && (!fact.percentileWithin || t.includes(`rank within your ${fact.percentileWithin}`)));
      expect(line, `${name}: ${m.title} ${when}, at least ${needs}, in\n${measures.join('\n')}`).toBeDefined();
    }
  });

  it("states every threshold of every rule in its metric's unit, under the rule it belongs to", () => {
    const outcomes = notice.sections.find((s) => s.id === 'outcomes')!.items!;
    for (const rule of doc.spec.rules) {
      const i = notice.outcomes.findIndex((o) => o.ruleId === rule.id);
      expect(i, rule.id).toBeGreaterThanOrEqual(0);
      const lines = flatten(outcomes[i].items);
      for (const leaf of leaves(rule.when, doc.spec.conditions ?? {})) {
        const fact = doc.spec.facts[leaf.fact];
        if (!fact) continue; // built-in facts (tenure, history) are checked below
        const m = catalogue.get(fact.metric)!;
        const window = days(fact.window ?? doc.spec.window ?? '90d');
        const when = fact.offset ? `over the ${window} before the last ${days(fact.offset)}` : `over the last ${window}`;
        const phrase = `${OPERATOR[leaf.operator]} ${expectedAmount(leaf.value, m, Boolean(fact.percentileWithin))}`;
        const line = lines.find((t) => t.toLowerCase().includes(m.title.toLowerCase()) && t.includes(when) && t.includes(` is ${phrase}`));
        expect(line, `${rule.id}: ${m.title} ${when} ${phrase} in\n${lines.join('\n')}`).toBeDefined();
      }
    }
  });

  it('names the tenure and case-history conditions in the words of the explanations', () => {
    const all = flatten(notice.sections.find((s) => s.id === 'outcomes')!.items);
    for (const rule of doc.spec.rules) {
      for (const leaf of leaves(rule.when, doc.spec.conditions ?? {})) {
        if (leaf.fact === 'employee.tenureDays') expect(all.some((t) => t.includes(`days with the company: ${OPERATOR[leaf.operator]} ${leaf.value}`))).toBe(true);
        if (leaf.fact === 'history.pip.isActive') expect(all).toContain('has an active improvement plan: no');
        if (leaf.fact === 'history.coaching.completed') expect(all.some((t) => t.includes(`that are now completed: ${OPERATOR[leaf.operator]} ${leaf.value}`))).toBe(true);
      }
    }
  });

  it('says that a person approves every PIP exactly when every PIP rule requires approval', () => {
    const pipRules = doc.spec.rules.filter((r) => r.then.outcome === 'pip');
    const approval = notice.sections.find((s) => s.id === 'approval')!.paragraphs.join(' ');
    const everyApproved = pipRules.every((r) => (r.approval ?? 'required') === 'required');
    expect(pipRules.length).toBeGreaterThan(0);
    expect(everyApproved).toBe(true); // the shipped policies all require it
    expect(approval).toContain('A person approves every improvement plan (PIP)');
    expect(approval).toContain('someone with the HR or admin role');
    for (const r of pipRules) expect(notice.outcomes.find((o) => o.ruleId === r.id)!.text).toContain('takes effect only once a person approves it');
  });

  it('says that missing data never leads to an adverse outcome, how to see one\'s explanation and dispute it, and whom to contact', () => {
    expect(notice.text).toContain('Missing data never leads to an adverse outcome.');
    expect(notice.text).toContain('open “My cases”');
    expect(notice.text).toContain('choose “Dispute this”');
    expect(notice.text).toContain('No contact has been named for these notices yet');
    expect(notice.text).toContain(`How “${doc.metadata.title}” evaluates your work (version 3)`);
  });
});
