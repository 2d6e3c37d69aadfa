// Sorting the case list: a whitelist of keys, each an SQL expression, so a sort key from a URL
// never becomes SQL text; `-key` sorts descending. The case id breaks ties in the same
// direction, so pages never overlap or skip a case whatever the sort.
import { didYouMean } from '../util/did-you-mean.ts';
import { FieldError } from './field-error.ts';
import { orList } from './lifecycle.ts';
import { TYPE_RANK_SQL } from './queue.ts';

export const CASE_SORT_KEYS = ['type', 'status', 'employee', 'due', 'opened'] as const;
export type CaseSortKey = (typeof CASE_SORT_KEYS)[number];

export interface CaseSort {
  key: CaseSortKey;
  descending: boolean;
}

/** Every accepted spelling: each key ascending and descending. */
export const CASE_SORTS: readonly string[] = CASE_SORT_KEYS.flatMap((k) => [k, `-${k}`]);

const EXPRESSION: Record<CaseSortKey, string> = {
  // By weight, not by name: PIPs, then coaching, then recognition.
  type: TYPE_RANK_SQL,
  status: 'c.status',
  // A case whose employee is not in the directory sorts by the id it was opened for.
  employee: 'lower(coalesce(e.name, c.employee_id))',
  // The output column of the list query: when the case's next step is due (queue.ts DUE_BY_SQL).
  due: 'due_by',
  opened: 'c.opened_at',
};

/** `due`, `-opened`: a sort key typed by a person, or a coded error naming the allowed ones. */
export function parseCaseSort(value: string, field = 'sort'): CaseSort {
  const key = value.startsWith('-') ? value.slice(1) : value;
  if ((CASE_SORT_KEYS as readonly string[]).includes(key)) return { key: key as CaseSortKey, descending: value.startsWith('-') };
  throw new FieldError('APPRAISE_CASE_UNKNOWN_SORT', [field],
    (n) => `${n(field)}: \`${value}\` is not a way to sort cases.${didYouMean(value, CASE_SORTS)} Sort by ${orList(CASE_SORT_KEYS)}; a leading \`-\` sorts descending (\`-opened\`: newest first).`,
    { value, allowed: [...CASE_SORTS] });
}

/** The ORDER BY list of a sort: cases without a value last in either direction, then by id. */
export function orderBySql(sort: CaseSort): string {
  const dir = sort.descending ? 'DESC' : 'ASC';
  return `${EXPRESSION[sort.key]} ${dir} NULLS LAST, c.id ${dir}`;
}
