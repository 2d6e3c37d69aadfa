// A declarative metric's aggregate formula as one readable line for the metric catalogue:
// `100 × (share(nps ≥ 9 of nps) − share(nps ≤ 6 of nps))`. Shapes it does not know are shown
// as compact JSON rather than hidden.
const INFIX: Record<string, string> = { add: ' + ', sub: ' − ', mul: ' × ', div: ' ÷ ' };
const CMP: Record<string, string> = { gte: '≥', gt: '>', lte: '≤', lt: '<', eq: '=', ne: '≠', in: 'in' };

export function formulaText(f: unknown, top = true): string {
  if (f === null || f === undefined) return '—';
  if (typeof f !== 'object') return String(f);
  const o = f as Record<string, unknown>;
  const keys = Object.keys(o);
  if ('const' in o && keys.length === 1) return String(o.const);
  if ('switch' in o && typeof o.cases === 'object' && o.cases) {
    const cases = Object.entries(o.cases as Record<string, unknown>).map(([k, v]) => `${k}: ${formulaText(v)}`);
    return `by params.${String(o.switch)} (default ${String(o.default ?? '—')}) → ${cases.join('; ')}`;
  }
  if ('share' in o && typeof o.share === 'object' && o.share) {
    const s = o.share as Record<string, unknown>;
    const cond = Object.entries(s).filter(([k]) => k !== 'field').map(([k, v]) => `${CMP[k] ?? k} ${JSON.stringify(v)}`).join(' and ');
    return `share(${String(s.field)} ${cond}${o.of ? ` of ${String(o.of)}` : ''})`;
  }
  if (keys.length === 1) {
    const [k] = keys;
    const v = o[k];
    if (INFIX[k] && Array.isArray(v)) {
      const inner = v.map((x) => formulaText(x, false)).join(INFIX[k]);
      return top ? inner : `(${inner})`;
    }
    if (typeof v === 'string') return `${k}(${v})`;
    if (Array.isArray(v)) return `${k}(${v.map((x) => formulaText(x, true)).join(', ')})`;
    if (v && typeof v === 'object') {
      const args = Object.entries(v as Record<string, unknown>).map(([a, b]) => `${a}: ${typeof b === 'object' ? formulaText(b) : String(b)}`);
      return `${k}(${args.join(', ')})`;
    }
  }
  return JSON.stringify(f);
}
