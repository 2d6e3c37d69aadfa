// PostgreSQL (and PGlite) refuse two things a JavaScript string can hold: the NUL character
// (in text, and as \u0000 in jsonb) and a UTF-16 surrogate half without its partner (jsonb
// rejects the escape; text silently turns it into U+FFFD). Text bound for the store is checked
// here first, so that the person who sent it learns where the character is instead of
// meeting an internal error.

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface UnstorableChar {
  /** 0-based offset in the string. */
  index: number;
  /** 1-based line and column of the offset, for multi-line text such as YAML. */
  line: number;
  column: number;
  what: 'a NUL character (U+0000)' | 'a broken surrogate pair';
}

/** The first character the store cannot keep, or undefined. */
export function findUnstorable(text: string): UnstorableChar | undefined {
  const m = UNSTORABLE.exec(text);
  if (!m) return undefined;
  const before = text.slice(0, m.index);
  const line = before.split('\n').length;
  const column = m.index - before.lastIndexOf('\n');
  return { index: m.index, line, column, what: m[0] === '\u0000' ? 'a NUL character (U+0000)' : 'a broken surrogate pair' };
}

/**
 * The first unstorable string anywhere in a JSON-like value, with its path (`comment`,
 * `data.goals[2]`, or a key itself), or undefined.
 */
export function findUnstorableIn(value: unknown, path = ''): { path: string; char: UnstorableChar } | undefined {
  if (typeof value === 'string') {
    const char = findUnstorable(value);
    return char ? { path, char } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findUnstorableIn(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const keyPath = path ? `${path}.${k}` : k;
      const inKey = findUnstorable(k);
      if (inKey) return { path: `the name of ${keyPath}`, char: inKey };
      const hit = findUnstorableIn(v, keyPath);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** `body.yaml` … at line 3, column 7 — where a person finds the character. */
export function describeUnstorable(field: string, char: UnstorableChar, multiLine: boolean): string {
  const where = multiLine ? ` at line ${char.line}, column ${char.column}` : char.index > 0 ? ` at character ${char.index + 1}` : '';
  return `${field} holds ${char.what}${where}, which cannot be stored. Remove it and send again.`;
}
