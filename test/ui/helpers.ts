// A real server for the browser tests, on a random loopback port, serving the built UI: a small
// support organisation (three teams in two departments, protected attributes), six months of
// customer surveys ending today, two published policies and runs over the last three months, so
// every screen has something to show; plus headless Chromium from Debian's package.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { Appraise } from '../../core/app/appraise.ts';
import { defaultConfig, type AppConfig } from '../../core/config/config.ts';
import { buildServer } from '../../core/server/app.ts';
import { buildUi, UI_DIST_DIR } from '../../core/server/build-ui.ts';
import { createToken, type Role } from '../../core/auth/tokens.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { publishPolicy } from '../../core/policy/versions.ts';
import { SUCCESS_POLICY, SUPPORT_POLICY } from './policies.ts';

const DAY = 86_400_000;

const TEAMS = [
  { team: 'Support North', department: 'Customer Support', manager: ['mgr-north', 'Nadia Okafor'] },
  { team: 'Support South', department: 'Customer Support', manager: ['mgr-south', 'Samuel Lee'] },
  { team: 'Success', department: 'Customer Success', manager: ['mgr-success', 'Priya Raman'] },
] as const;

const NAMES = [
  'Ana Souza', 'Ben Carter', 'Chloé Martin', 'Dmitri Ivanov', 'Elif Yılmaz', 'Femi Adeyemi', 'Grace Kim', 'Hugo Weber',
  'Isabel Ortiz', 'Jonas Berg', 'Keiko Tanaka', 'Liam O’Brien', 'Maya Cohen', 'Nikhil Rao', 'Olga Petrova', 'Pablo Ruiz',
  'Quinn Murphy', 'Rosa Bianchi', 'Sven Larsen', 'Tara Singh', 'Umar Farouk',
];

/** Each agent's CSAT level and how it moves over the six months (per 30 days). */
const PROFILES: Array<[number, number]> = [
  [2.1, -0.05], [3.2, -0.1], [4.7, 0.02], [3.9, 0], [4.6, 0.05], [2.9, 0.1], [4.2, -0.05],
  [3.4, -0.05], [4.8, 0], [3.0, 0.15], [4.1, 0.05], [2.3, -0.02], [4.4, 0], [3.7, 0.1],
  [4.6, 0.02], [3.3, 0], [4.9, 0], [3.8, -0.1], [4.0, 0.05], [4.5, 0.05], [3.6, 0],
];

export interface UiServer {
  app: Appraise;
  server: FastifyInstance;
  url: string;
  tokens: Record<Role, string>;
  /** Ids by role in the seed: the employee signed in as `employee` has a proposed PIP. */
  ids: { employee: string; manager: string };
  close(): Promise<void>;
}

/** A deterministic pseudo-random sequence (the seed must not change between runs). */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** `approvals`: four-eyes publish (config `policies.publish.approvals`), off by default. */
export async function uiServer(o: { now?: Date; approvals?: number; config?: Partial<AppConfig> } = {}): Promise<UiServer> {
  const now = new Date(Math.floor((o.now ?? new Date()).getTime() / DAY) * DAY);
  const base = defaultConfig();
  const config = {
    ...base, fairness: { protectedAttributes: ['gender'], minGroupSize: 3 },
    ...(o.approvals ? { policies: { ...base.policies, publish: { approvals: o.approvals } } } : {}),
    ...o.config,
  };
  const app = await Appraise.open({ config, dataDir: 'memory://', databaseUrl: '' });
  const s = app.store;
  const rand = random(42);
  const employees: unknown[][] = [];
  for (const t of TEAMS) employees.push([t.manager[0], t.manager[1], 'team-lead', t.team, t.department, null, '2019-03-01', '{}']);
  const agents: string[] = [];
  NAMES.forEach((name, i) => {
    const t = TEAMS[i % TEAMS.length];
    const id = `e${String(i + 1).padStart(2, '0')}`;
    agents.push(id);
    employees.push([id, name, 'agent', t.team, t.department, t.manager[0], `202${2 + (i % 3)}-0${1 + (i % 9)}-15`, JSON.stringify({ gender: i % 2 ? 'M' : 'F' })]);
  });
  const values = employees.map((_, i) => `($${i * 8 + 1}, $${i * 8 + 2}, $${i * 8 + 3}, $${i * 8 + 4}, $${i * 8 + 5}, $${i * 8 + 6}, $${i * 8 + 7}, $${i * 8 + 8}::jsonb, 'seed')`);
  await s.query(`INSERT INTO employees (id, name, role, team, department, manager_id, hire_date, attributes, content_hash) VALUES ${values.join(', ')}`, employees.flat());

  // Six months of surveys: every agent answered about every third day.
  const records: unknown[] = [];
  const rows: string[] = [];
  agents.forEach((id, i) => {
    const [level, drift] = PROFILES[i];
    for (let day = 180; day >= 1; day -= 3) {
      const csat = Math.min(5, Math.max(1, Math.round(level + drift * ((180 - day) / 30 - 6) + (rand() - 0.5) * 1.2)));
      const nps = Math.min(10, Math.max(0, Math.round(level * 2 + (rand() - 0.3) * 3)));
      const at = new Date(now.getTime() - day * DAY + 10 * 3600_000);
      const n = records.length;
      rows.push(`('customer-feedback.survey', $${n + 1}, $${n + 2}, $${n + 3}::jsonb, $${n + 4})`);
      records.push(id, at.toISOString(), JSON.stringify({ csat, nps }), `${id}-${day}`);
    }
  });
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const params = records.slice(i * 4, (i + chunk.length) * 4);
    const renumbered = chunk.map((_, k) => `('customer-feedback.survey', $${k * 4 + 1}, $${k * 4 + 2}, $${k * 4 + 3}::jsonb, $${k * 4 + 4})`);
    await s.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ${renumbered.join(', ')}`, params);
  }

  const publish = async (file: string, yaml: string, author: string, comment: string) => {
    const loaded = loadPolicyText(file, yaml, app.registry);
    if (!loaded.policy) throw new Error(`fixture policy ${file} does not load: ${JSON.stringify(loaded.diagnostics)}`);
    await publishPolicy(s, { policy: loaded.policy, yaml, author, comment });
  };
  await publish('support-quality.policy.yaml', SUPPORT_POLICY, 'hr-ana', 'monthly review for support agents');
  await publish('success-nps.policy.yaml', SUCCESS_POLICY(60), 'hr-ana', 'first version');
  await publish('success-nps.policy.yaml', SUCCESS_POLICY(55), 'hr-ben', 'NPS of 55 is already excellent in our market');

  // Runs at the end of each of the last three months, so the dashboard has history.
  for (const back of [60, 30, 0]) await app.run({ asOf: new Date(now.getTime() - back * DAY), trigger: 'manual' });

  const pip = (await s.query<{ employee_id: string }>(`SELECT employee_id FROM cases WHERE type = 'pip' AND status = 'proposed' ORDER BY employee_id LIMIT 1`)).rows[0];
  if (!pip) throw new Error('the fixture opened no proposed PIP');
  const employeeId = pip.employee_id;
  const manager = (await s.query<{ manager_id: string }>('SELECT manager_id FROM employees WHERE id = $1', [employeeId])).rows[0].manager_id;
  const tokens = {} as Record<Role, string>;
  for (const [role, as] of [['admin'], ['hr'], ['manager', manager], ['employee', employeeId], ['viewer']] as Array<[Role, string?]>) {
    tokens[role] = (await createToken(s, { name: `ui-${role}`, role, employeeId: as, createdBy: 'fixture' })).token;
  }
  const server = await buildServer(app, { uiDir: UI_DIST_DIR });
  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    app, server, url: address, tokens, ids: { employee: employeeId, manager },
    close: async () => {
      await server.close();
      await app.close();
    },
  };
}

/** Headless Chromium with its own profile: one browser context, closed (and its profile removed) by `close`. */
export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with a fresh profile; never a downloaded browser. */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'appraise-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the UI signed in with a role's token (through the sign-in form). */
export async function signIn(page: Page, ui: UiServer, role: Role): Promise<void> {
  await page.goto(ui.url);
  await page.getByLabel('API token').fill(ui.tokens[role]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Collects what the browser reports as errors on a page (console errors, uncaught exceptions) into `into`. */
export function watchErrors(page: Page, into: string[]): void {
  page.on('console', (m) => {
    if (m.type() === 'error') into.push(m.text());
  });
  page.on('pageerror', (e) => into.push(e.message));
}

/** Puts the policy editor's cursor at the end of a 1-based line, then `left` characters back. */
export async function cursorAt(p: Page, line: number, left = 0): Promise<void> {
  await p.locator('.cm-content').click();
  await p.keyboard.press('Control+Home');
  for (let i = 1; i < line; i++) await p.keyboard.press('ArrowDown');
  await p.keyboard.press('End');
  for (let i = 0; i < left; i++) await p.keyboard.press('ArrowLeft');
}

/** Deletes `count` characters before the editor's cursor and types `text` there. */
export async function replaceBefore(p: Page, count: number, text: string): Promise<void> {
  for (let i = 0; i < count; i++) await p.keyboard.press('Backspace');
  await p.keyboard.type(text);
  await p.keyboard.press('Escape'); // close a completion list, if one opened
}

/** Where the browser tests leave their screenshots (git-ignored). */
export const ARTIFACTS = new URL('../artifacts/', import.meta.url);

/** What a browser test file works with, once its `beforeAll` has run. */
export interface BrowserSuite {
  readonly ui: UiServer;
  readonly browser: LaunchedBrowser;
  /** A page opened before the tests, watched for errors. */
  readonly page: Page;
  /** Console errors and uncaught exceptions of `page` and of the pages from `newPage`, in order. */
  readonly errors: string[];
  /** Opens another page in the same browser, watched for errors like `page`. */
  newPage(): Promise<Page>;
}

/**
 * The setup every browser test file shares: the UI built, the seeded server (uiServer), Debian's
 * Chromium, one page watched for errors, and all of it closed after the file. Registers the
 * beforeAll/afterAll of the file (or describe) it is called in; read the values in tests and
 * hooks, not at module level. `server` sets up the server (uiServer's options, or a function
 * giving them, read when the suite starts); `seed` adds to the server's data before the browser opens;
 * `setup` prepares the page (time zone, permissions, sign-in) before the first test.
 */
export function browserSuite(o: { server?: Parameters<typeof uiServer>[0] | (() => Parameters<typeof uiServer>[0]); seed?: (ui: UiServer) => Promise<void>; setup?: (s: BrowserSuite) => Promise<void> } = {}): BrowserSuite {
  let ui: UiServer | undefined;
  let browser: LaunchedBrowser | undefined;
  let page: Page | undefined;
  const errors: string[] = [];
  const ready = <T>(v: T | undefined, name: string): T => {
    if (v === undefined) throw new Error(`browserSuite: ${name} is read before beforeAll has run`);
    return v;
  };
  const suite: BrowserSuite = {
    get ui() { return ready(ui, 'ui'); },
    get browser() { return ready(browser, 'browser'); },
    get page() { return ready(page, 'page'); },
    errors,
    async newPage() {
      const p = await ready(browser, 'browser').context.newPage();
      watchErrors(p, errors);
      return p;
    },
  };
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [ui] = await Promise.all([uiServer(typeof o.server === 'function' ? o.server() : o.server), buildUi()]);
    await o.seed?.(ui);
    browser = await launchBrowser();
    page = await suite.newPage();
    await o.setup?.(suite);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await ui?.close();
  });
  return suite;
}
