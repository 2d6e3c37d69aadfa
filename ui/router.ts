// The admin UI's routes: real paths (the server answers every non-API path with index.html),
// so each screen has a link that can be bookmarked, opened in a new tab and reloaded.

export type Route =
  | { name: 'dashboard' }
  | { name: 'policies' }
  | { name: 'policy'; id: string; tab: PolicyTab; query: URLSearchParams }
  | { name: 'cases'; query: URLSearchParams }
  | { name: 'case'; id: number }
  | { name: 'disputes'; query: URLSearchParams }
  | { name: 'employees'; query: URLSearchParams }
  | { name: 'employee'; id: string }
  | { name: 'my-cases' }
  | { name: 'my-notices' }
  | { name: 'runs' }
  | { name: 'fairness' }
  | { name: 'plugins' }
  | { name: 'sources' }
  | { name: 'tokens' }
  | { name: 'kudos' }
  | { name: 'reviews'; query: URLSearchParams }
  | { name: 'review'; id: number }
  | { name: 'notifications' }
  | { name: 'not-found'; path: string };

const TABS = ['edit', 'preview', 'backtest', 'history', 'notice'] as const;
export type PolicyTab = (typeof TABS)[number];

export function parseRoute(pathname: string, search = ''): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(search);
  const [head, id, sub] = parts;
  if (parts.length === 0) return { name: 'dashboard' };
  if (head === 'policies' && !id) return { name: 'policies' };
  if (head === 'policies' && parts.length <= 3) {
    const tab = (TABS as readonly string[]).includes(sub ?? '') ? (sub as (typeof TABS)[number]) : 'edit';
    return { name: 'policy', id, tab, query };
  }
  if (head === 'cases' && !id) return { name: 'cases', query };
  if (head === 'cases' && /^\d+$/.test(id) && parts.length === 2) return { name: 'case', id: Number(id) };
  if (head === 'cases' && id === 'disputes' && parts.length === 2) return { name: 'disputes', query };
  if (head === 'employees' && !id) return { name: 'employees', query };
  if (head === 'employees' && parts.length === 2) return { name: 'employee', id };
  if (head === 'my-cases' && !id) return { name: 'my-cases' };
  if (head === 'how-i-am-evaluated' && !id) return { name: 'my-notices' };
  if (head === 'runs' && !id) return { name: 'runs' };
  if (head === 'fairness' && !id) return { name: 'fairness' };
  if (head === 'plugins' && !id) return { name: 'plugins' };
  if (head === 'sources' && !id) return { name: 'sources' };
  if (head === 'tokens' && !id) return { name: 'tokens' };
  if (head === 'kudos' && !id) return { name: 'kudos' };
  if (head === 'notifications' && !id) return { name: 'notifications' };
  if (head === 'reviews' && !id) return { name: 'reviews', query };
  if (head === 'reviews' && /^\d+$/.test(id) && parts.length === 2) return { name: 'review', id: Number(id) };
  return { name: 'not-found', path: pathname };
}

/** Fired on `window` after the UI changed the URL itself. */
export const NAVIGATE_EVENT = 'appraise-navigate';

export function navigate(url: string, o: { replace?: boolean } = {}): void {
  if (o.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new CustomEvent(NAVIGATE_EVENT));
}

export const href = {
  policy: (id: string, tab?: string) => `/policies/${encodeURIComponent(id)}${tab && tab !== 'edit' ? `/${tab}` : ''}`,
  /** The history comparing two versions (`?from=&to=`); without them, the latest against the one before it. */
  policyHistory: (id: string, compare?: { from: number; to: number }) =>
    `${href.policy(id, 'history')}${compare ? `?from=${compare.from}&to=${compare.to}` : ''}`,
  case: (id: number) => `/cases/${id}`,
  employee: (id: string) => `/employees/${encodeURIComponent(id)}`,
  review: (id: number) => `/reviews/${id}`,
};
