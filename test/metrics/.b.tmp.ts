import { timestampSeconds, evaluateAggregate } from '../../core/metrics/aggregate.ts';
const N = 1_000_000, base = Date.UTC(2026, 0, 1);
const a = Array.from({ length: N }, (_, i) => new Date(base + i * 1000).toISOString());
const b = Array.from({ length: N }, (_, i) => new Date(base + i * 1000 + (i % 3600) * 1000).toISOString());
for (let r = 0; r < 4; r++) { let t = performance.now(); let s = 0; for (let i = 0; i < N; i++) s += timestampSeconds(a[i], b[i])!; console.log('pairs', (performance.now() - t).toFixed(0), s);
 const f = Float64Array.from({length: N}, (_, i) => (i * 7919) % 3600); t = performance.now(); f.sort(); console.log('sort', (performance.now() - t).toFixed(0)); }
const tickets = a.map((openedAt, i) => ({ occurredAt: '', payload: { openedAt, firstResponseAt: b[i] } }));
for (let r = 0; r < 3; r++) { const t = performance.now(); evaluateAggregate({ mean: { seconds: ['openedAt', 'firstResponseAt'] } }, { kind: 't', records: { t: tickets } }); console.log('mean', (performance.now() - t).toFixed(0)); }
