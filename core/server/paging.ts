// Paging for list routes: `page` (from 1) and `pageSize` (at most 200; more is a 400, not a
// silently shortened page).
export const MAX_PAGE_SIZE = 200;

export function pageQuery(extra: Record<string, unknown> = {}) {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      page: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 },
      pageSize: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 },
      ...extra,
    },
  };
}

export function pageOf(q: { page: number; pageSize: number }): { limit: number; offset: number } {
  return { limit: q.pageSize, offset: (q.page - 1) * q.pageSize };
}
