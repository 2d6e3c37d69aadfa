// A plugin cannot take the engine down: deliberately broken fixture plugins (throwing,
// hanging, wrong return type, crashing, bad manifest, dependency cycle) each cost only their
// own facts, are recorded against the plugin, and leave the other plugins working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { discoverPlugins, type PluginSet } from '../../core/plugins/discovery.ts';
import { CRASH_LIMIT, PluginHost } from '../../core/plugins/host.ts';
import type { MetricBatchItem } from '../../core/plugins/runtime.ts';
import { compilePolicy } from '../../core/evaluate/compile.ts';
import { evaluate } from '../../core/evaluate/evaluate.ts';
import { compileFast, evaluateFast } from '../../core/evaluate/fast.ts';
import type { Policy } from '../../core/policy/types.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/plugins/', import.meta.url));
const window = { from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };
const item = (employeeId: string, n: number): MetricBatchItem => ({
  employeeId,
  input: { records: Array.from({ length: n }, (_, i) => ({ occurredAt: `2026-02-0${i + 1}T10:00:00Z`, payload: {} })), related: {}, params: {}, window },
});

let set: PluginSet;
let host: PluginHost;
beforeAll(async () => {
  set = await discoverPlugins([FIXTURES]);
  host = new PluginHost(set, { timeoutMs: 2000 });
});
afterAll(async () => {
  await host.dispose();
});

describe('discovery', () => {
  it('Error: bad manifest is disabled with the line and column in package.json', () => {
    const bad = set.plugins.find((p) => p.id === 'bad-manifest')!;
    expect(bad.state).toBe('disabled');
    const d = set.diagnostics.find((x) => x.file.endsWith('bad-manifest/package.json'))!;
    expect(d).toMatchObject({ code: 'APPRAISE_SCHEMA_INVALID_VALUE', line: 9, column: 54 });
    expect(d.message).toMatch(/unit/);
  });

  it('Error: dependency cycle disables both plugins and names the cycle', () => {
    for (const id of ['cycle-a', 'cycle-b']) {
      const p = set.plugins.find((x) => x.id === id)!;
      expect(p.state).toBe('disabled');
      expect(p.reason).toMatch(/cycle-a → cycle-b → cycle-a|cycle-b → cycle-a → cycle-b/);
    }
  });

  it('Error: dependency missing disables the plugin with the reason', () => {
    const p = set.plugins.find((x) => x.id === 'missing-dependency')!;
    expect(p.state).toBe('disabled');
    expect(p.reason).toMatch(/not-installed/);
  });

  it('Error: an engines.appraise range this API does not satisfy is refused', () => {
    const d = set.diagnostics.find((x) => x.file.endsWith('wrong-engine/package.json'))!;
    expect(d.code).toBe('APPRAISE_PLUGIN_ENGINE_MISMATCH');
    expect(set.plugins.find((x) => x.id === 'wrong-engine')!.state).toBe('disabled');
  });

  it('orders plugins by dependency and namespaces their contributions', () => {
    const ids = set.plugins.map((p) => p.id);
    expect(ids.indexOf('good')).toBeLessThan(ids.indexOf('needs-good'));
    expect(set.registry.metrics.has('needs-good.good-events')).toBe(true);
    expect(set.registry.metrics.get('needs-good.good-events')!.recordKind).toBe('good.event');
    expect(set.registry.operators.has('good.divisibleBy')).toBe(true);
    expect(set.registry.metrics.has('bad-manifest.broken')).toBe(false);
  });
});

describe('activation and containment', () => {
  it('activates lazily: nothing runs until a contribution is needed', async () => {
    const fresh = new PluginHost(await discoverPlugins([FIXTURES]), { timeoutMs: 2000 });
    expect(fresh.plugin('good')!.state).toBe('inactive');
    const out = await fresh.computeMetric('good.events', [item('e1', 3)]);
    expect(out.get('e1')).toEqual({ status: 'ok', value: 3 });
    expect(fresh.plugin('good')!.state).toBe('active');
    expect(fresh.plugin('throwing-activate')!.state).toBe('inactive');
    await fresh.dispose();
  });

  it('Error: throwing activate fails the plugin with message and stack, others keep working', async () => {
    const out = await host.computeMetric('throwing-activate.events', [item('e1', 1)]);
    expect(out.get('e1')).toMatchObject({ status: 'error' });
    const p = host.plugin('throwing-activate')!;
    expect(p.state).toBe('failed');
    expect(p.problems.at(-1)).toMatchObject({ code: 'APPRAISE_PLUGIN_ACTIVATION_FAILED' });
    expect(p.problems.at(-1)!.message).toMatch(/database password missing/);
    expect(p.problems.at(-1)!.stack).toMatch(/index\.ts/);
    expect((await host.computeMetric('good.events', [item('e1', 2)])).get('e1')).toEqual({ status: 'ok', value: 2 });
  });

  it('Error: a synchronous infinite loop is stopped at the time limit', async () => {
    const started = Date.now();
    const out = await host.computeMetric('hanging-metric.events', [item('e1', 1), item('e2', 2)]);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(out.get('e1')).toMatchObject({ status: 'error' });
    expect((out.get('e2') as { message: string }).message).toMatch(/time limit/);
    expect(host.plugin('hanging-metric')!.problems.some((x) => x.code === 'APPRAISE_PLUGIN_TIMEOUT')).toBe(true);
    expect((await host.computeMetric('good.events', [item('e1', 1)])).get('e1')).toEqual({ status: 'ok', value: 1 });
  });

  it('Error: NaN or a string instead of a number is an error, never a value', async () => {
    const out = await host.computeMetric('wrong-return.events', [item('e1', 1), item('e2', 2)]);
    expect(out.get('e1')).toMatchObject({ status: 'error', message: expect.stringMatching(/NaN/) });
    expect(out.get('e2')).toMatchObject({ status: 'error', message: expect.stringMatching(/"many"/) });
    expect(host.plugin('wrong-return')!.problems.some((x) => x.code === 'APPRAISE_PLUGIN_METRIC_FAILED')).toBe(true);
  });

  it('Error: a throwing metric costs only the employees it threw for', async () => {
    const out = await host.computeMetric('throwing-metric.events', [item('e1', 1), item('e2', 2)]);
    expect(out.get('e1')).toEqual({ status: 'ok', value: 1 });
    expect(out.get('e2')).toMatchObject({ status: 'error', message: expect.stringMatching(/cannot read properties/) });
  });

  it('Error: a registration the manifest does not declare is reported and ignored', async () => {
    const out = await host.computeMetric('undeclared.events', [item('e1', 2)]);
    expect(out.get('e1')).toEqual({ status: 'ok', value: 2 });
    const p = host.plugin('undeclared')!;
    expect(p.state).toBe('active');
    expect(p.problems.some((x) => x.code === 'APPRAISE_PLUGIN_UNDECLARED_REGISTRATION' && /sneaky/.test(x.message))).toBe(true);
  });

  it(`Error: a host that crashes ${CRASH_LIMIT} times in 5 minutes is disabled`, async () => {
    for (let i = 0; i < CRASH_LIMIT; i++) {
      const out = await host.computeMetric('crashing.events', [item('e1', 1)]);
      expect(out.get('e1')).toMatchObject({ status: 'error' });
    }
    const p = host.plugin('crashing')!;
    expect(p.state).toBe('disabled');
    expect(p.problems.filter((x) => x.code === 'APPRAISE_PLUGIN_CRASHED')).toHaveLength(CRASH_LIMIT);
    const after = await host.computeMetric('crashing.events', [item('e1', 1)]);
    expect(after.get('e1')).toMatchObject({ status: 'error', message: expect.stringMatching(/disabled/) });
  });
});

describe('operators across the plugin boundary', () => {
  const policy = (operator: string): Policy => ({
    apiVersion: 'appraise/v1',
    kind: 'ReviewPolicy',
    metadata: { id: 'ops', title: 'ops', owner: 'hr' },
    spec: {
      appliesTo: {},
      rules: [{ id: 'r', when: { all: [{ fact: 'employee.tenureDays', operator, value: 5 }] }, then: { outcome: 'recognition' } }],
    },
  });

  it('calls a plugin operator in its worker, synchronously, from the rules engine', async () => {
    const impls = await host.operatorImplementations(['good.divisibleBy']);
    const compiled = compilePolicy(policy('good.divisibleBy'), set.registry, impls);
    expect((await evaluate(compiled, { tenureDays: 10 }, {})).fired).toEqual(['r']);
    expect((await evaluate(compiled, { tenureDays: 11 }, {})).fired).toEqual([]);
    const negated = compilePolicy(policy('not:good.divisibleBy'), set.registry, impls);
    expect((await evaluate(negated, {}, {})).indeterminate).toEqual(['r']);
    // the compiled fast path calls the same plugin operator
    const fast = compileFast(compiled);
    expect(evaluateFast(fast, { tenureDays: 10 }, {}).fired).toEqual(['r']);
    expect(evaluateFast(fast, { tenureDays: 11 }, {}).fired).toEqual([]);
  });

  it('Error: a throwing operator makes the rule indeterminate, recorded against the plugin', async () => {
    const impls = await host.operatorImplementations(['throwing-operator.explodes']);
    const compiled = compilePolicy(policy('throwing-operator.explodes'), set.registry, impls);
    const result = await evaluate(compiled, { tenureDays: 10 }, {});
    expect(result.fired).toEqual([]);
    expect(result.indeterminate).toEqual(['r']);
    expect(result.hasErrors).toBe(true);
    expect(result.rules[0].conditions).toMatchObject({ children: [{ result: 'unknown', reason: expect.stringMatching(/operator bug/) }] });
    expect(host.plugin('throwing-operator')!.problems.some((x) => x.code === 'APPRAISE_PLUGIN_OPERATOR_FAILED')).toBe(true);
  });
});
