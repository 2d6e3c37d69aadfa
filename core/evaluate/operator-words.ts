// Operators in words, shared by the CLI's explanations (explain-text.ts) and the admin UI, so a
// condition reads alike everywhere. Pure and dependency-free: the UI bundles it.

const OPERATOR_WORDS: Record<string, string> = {
  equal: 'equal to',
  notEqual: 'not equal to',
  lessThan: 'below',
  lessThanInclusive: 'at most',
  greaterThan: 'above',
  greaterThanInclusive: 'at least',
  in: 'one of',
  notIn: 'none of',
  contains: 'containing',
  doesNotContain: 'not containing',
};

const DECORATOR_WORDS: Record<string, string> = { not: 'not', someFact: 'some element', everyFact: 'every element', someValue: 'for some value', everyValue: 'for every value' };

/**
 * `greaterThanInclusive` → `at least`, `not:in` → `not one of`. An operator without words (a
 * plugin's) is shown by its id, as `unknown` writes it (by default in backticks, as code).
 */
export function operatorWords(op: string, unknown: (id: string) => string = (id) => `\`${id}\``): string {
  const parts = op.split(':');
  const base = parts.pop()!;
  const words = OPERATOR_WORDS[base] ?? unknown(base);
  const decorators = parts.map((d) => DECORATOR_WORDS[d] ?? d);
  return [...decorators, words].join(' ');
}
