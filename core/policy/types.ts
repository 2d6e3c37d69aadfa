// The shape of a policy document after it has passed the schema (schemas/policy.schema.json is
// the single definition; these types mirror it for the compiler and the checker).
import type { Outcome } from './builtin-facts.ts';

export type Scalar = string | number | boolean;

export interface FactRef {
  fact: string;
  path?: string;
  params?: Record<string, unknown>;
}

export interface LeafCondition {
  fact: string;
  operator: string;
  value: unknown;
  path?: string;
  params?: Record<string, unknown>;
  name?: string;
}
export interface AllCondition { all: Condition[]; name?: string }
export interface AnyCondition { any: Condition[]; name?: string }
export interface NotCondition { not: Condition; name?: string }
export interface ConditionReference { condition: string; name?: string }
export type Condition = LeafCondition | AllCondition | AnyCondition | NotCondition | ConditionReference;

export interface FactDeclaration {
  metric: string;
  description?: string;
  window?: string;
  offset?: string;
  minSamples?: number;
  params?: Record<string, unknown>;
  percentileWithin?: 'team' | 'department' | 'role' | 'all';
  /** With percentileWithin: a group with fewer members with sufficient data is insufficient data (default DEFAULT_MIN_GROUP_SIZE). */
  minGroupSize?: number;
}

export interface Rule {
  id: string;
  description?: string;
  priority?: number;
  when: Condition;
  then: { outcome: Outcome; params?: Record<string, unknown>; workflows?: string[] };
  cooldown?: string;
  approval?: 'required' | 'none';
}

export interface Selector {
  roles?: string[];
  teams?: string[];
  departments?: string[];
  locations?: string[];
  minTenure?: string;
  maxTenure?: string;
  attributes?: Record<string, Scalar>;
}

export interface PolicyTest {
  name: string;
  facts?: Record<string, unknown>;
  employee?: Record<string, unknown>;
  expect: { fired: string[]; indeterminate?: string[] };
}

export interface Policy {
  apiVersion: 'appraise/v1';
  kind: 'ReviewPolicy';
  metadata: { id: string; title: string; description?: string; owner: string; labels?: Record<string, string> };
  spec: {
    appliesTo: Selector;
    window?: string;
    cycle?: 'week' | 'month' | 'quarter' | 'year';
    schedule?: string;
    mode?: 'enforce' | 'audit';
    hitPolicy?: 'collect' | 'first';
    /** Under hitPolicy first: whether an undecided higher rule withholds the rules below (`hold`) or not (`apply-next`, the default). */
    undecided?: 'apply-next' | 'hold';
    /** How its coaching cases are followed up: `dueWithin`, how long after opening one is due. */
    coaching?: { dueWithin?: string };
    facts?: Record<string, FactDeclaration>;
    conditions?: Record<string, Condition>;
    rules: Rule[];
    tests?: PolicyTest[];
    /** Plain titles of the ids that rules give in their params (awards, programmes). */
    labels?: Record<string, string>;
  };
}

export const isAll = (c: Condition): c is AllCondition => Object.hasOwn(c, 'all');
export const isAny = (c: Condition): c is AnyCondition => Object.hasOwn(c, 'any');
export const isNot = (c: Condition): c is NotCondition => Object.hasOwn(c, 'not');
export const isReference = (c: Condition): c is ConditionReference => Object.hasOwn(c, 'condition');
export const isLeaf = (c: Condition): c is LeafCondition => Object.hasOwn(c, 'fact');
export const isFactRef = (v: unknown): v is FactRef =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as FactRef).fact === 'string';

export const DEFAULT_WINDOW = '90d';
/** The fewest people with sufficient data a percentileWithin group needs: a rank among two or three says little. */
export const DEFAULT_MIN_GROUP_SIZE = 5;

/** Every comparison of a policy: its rules' conditions and its shared ones. */
export function forEachLeafOf(policy: Policy, fn: (leaf: LeafCondition) => void): void {
  const walk = (c: Condition): void => {
    if (isAll(c)) c.all.forEach(walk);
    else if (isAny(c)) c.any.forEach(walk);
    else if (isNot(c)) walk(c.not);
    else if (isLeaf(c)) fn(c);
  };
  for (const r of policy.spec.rules) walk(r.when);
  for (const c of Object.values(policy.spec.conditions ?? {})) walk(c);
}
