// The fast path's hot loop as one generated JavaScript function per policy: every rule's
// three-valued result from the employee's fact slots, with no call per node. Closures over the
// tree cost a megamorphic call per node (~30 ns each, most of an evaluation); one straight-line
// function lets V8 inline each operator at its own call site.
//
// Safety: the generated text holds only keywords, operators and integer indices. Nothing from a
// policy file reaches it: thresholds, operators and paths are passed in as arrays (`k`, `o`,
// `p`) and read by index, so no user string is ever evaluated as code.
import type { FactStatus } from './facts.ts';
import type { OperatorFn, Tri } from './operators.ts';

/** A side of a leaf that reads a fact: its slot, and the JSONPath walk (paths only). */
export interface SlotRead {
  slot: number;
  walk?: (value: unknown) => unknown;
}

export type FastTree =
  | { all: FastTree[] }
  | { any: FastTree[] }
  | { not: FastTree }
  | { leaf: { op: OperatorFn; left: SlotRead; right: SlotRead | { constant: unknown } } };

/**
 * Every rule's result (`tris`) and whether a plugin error is why it is undecided (`errors`),
 * from the slots' values and statuses. Returns whether every rule is simply false.
 */
export type EvaluateAll = (values: readonly unknown[], statuses: readonly FactStatus[], tris: Tri[], errors: boolean[]) => boolean;

export function generateEvaluator(rules: readonly FastTree[]): EvaluateAll {
  const ops: OperatorFn[] = [];
  const constants: unknown[] = [];
  const walks: Array<(value: unknown) => unknown> = [];
  const lines: string[] = [];
  let next = 0;

  const read = (side: SlotRead, name: string): string => {
    if (!side.walk) return `const ${name} = v[${side.slot}];`;
    // json-rules-engine applies a path only to objects; any other value passes through unchanged.
    const w = walks.push(side.walk) - 1;
    return `const ${name}0 = v[${side.slot}]; const ${name} = ${name}0 !== null && typeof ${name}0 === 'object' ? p[${w}](${name}0) : ${name}0;`;
  };

  const emit = (t: FastTree): string => {
    const r = `r${next++}`;
    if ('leaf' in t) {
      const { op, left, right } = t.leaf;
      const o = ops.push(op) - 1;
      const fact = 'slot' in right ? right : undefined;
      // Why an undecided leaf is undecided, as the reference explainer reads the sides: the first
      // that is not a plain value decides; a plugin error there marks the rule.
      const leftPlain = `s[${left.slot}] === 'ok'${left.walk ? ' && a !== undefined' : ''}`;
      const error = fact
        ? `if (s[${left.slot}] === 'error' || (${leftPlain} && s[${fact.slot}] === 'error')) err = true;`
        : `if (s[${left.slot}] === 'error') err = true;`;
      lines.push(
        `let ${r}; {`,
        read(left, 'a'),
        fact ? read(fact, 'b') : `const b = k[${constants.push((right as { constant: unknown }).constant) - 1}];`,
        `let thrown = false;`,
        `try { ${r} = o[${o}](a, b); } catch { thrown = true; ${r} = undefined; err = true; }`,
        `if (${r} === undefined && !thrown) { ${error} }`,
        `}`,
      );
      return r;
    }
    if ('not' in t) {
      const c = emit(t.not);
      lines.push(`const ${r} = ${c} === undefined ? undefined : !${c};`);
      return r;
    }
    const all = 'all' in t;
    const kids = (all ? t.all : t.any).map(emit);
    // Kleene: all is false if one is false, any is true if one is true; else undecided if one is.
    const [decisive, otherwise] = all ? ['false', 'true'] : ['true', 'false'];
    if (kids.length === 0) lines.push(`const ${r} = ${otherwise};`);
    else lines.push(`const ${r} = (${kids.map((k) => `${k} === ${decisive}`).join(' || ')}) ? ${decisive} : (${kids.map((k) => `${k} === undefined`).join(' || ')}) ? undefined : ${otherwise};`);
    return r;
  };

  rules.forEach((tree, i) => {
    lines.push(`err = false;`);
    const r = emit(tree);
    lines.push(`tris[${i}] = ${r}; errors[${i}] = err; if (${r} !== false) allFalse = false;`);
  });
  const body = `return function evaluateAll(v, s, tris, errors) {\nlet err = false;\nlet allFalse = true;\n${lines.join('\n')}\nreturn allFalse;\n};`;
  return new Function('o', 'k', 'p', body)(ops, constants, walks) as EvaluateAll;
}
