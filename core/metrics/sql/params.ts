// The parameters of one generated query. Every value that comes from a formula or a caller
// (field names, comparison targets, kinds, window bounds) travels as a parameter, never in the
// SQL text; the same value of the same type reuses its placeholder.

export type SqlType = 'text' | 'text[]' | 'jsonb' | 'numeric' | 'bigint' | 'float8' | 'timestamptz';

export class SqlParams {
  readonly values: unknown[] = [];
  private readonly index = new Map<string, number>();

  /** The placeholder for a value, with an explicit cast: PGlite and pg infer nothing then. */
  add(value: unknown, type: SqlType): string {
    const key = `${type}\u0000${JSON.stringify(value)}`;
    let n = this.index.get(key);
    if (n === undefined) {
      this.values.push(value);
      n = this.values.length;
      this.index.set(key, n);
    }
    return `$${n}::${type}`;
  }

  /** A JS number as float8: its shortest decimal form, which PostgreSQL reads back to the same double. */
  float8(x: number): string {
    return this.add(String(x), 'float8');
  }

  numeric(x: number | string): string {
    return this.add(String(x), 'numeric');
  }
}
