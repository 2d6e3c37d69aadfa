// The demo organisation's people: departments of teams of 6–12 under a team lead, leads under
// managers (about seven each) up to a director, one executive; names, sites, hire dates, protected
// attributes and latent plans. Held in memory (small even at 100,000 people); records are not.
import {
  DEPARTMENTS, ETHNICITIES, GENDERS, SALES_SEGMENTS, SALES_SEGMENT_WEIGHTS,
  SITES, SUPPORT_CHANNEL_WEIGHTS, SUPPORT_CHANNELS, type Department, type SupportChannel,
} from './catalogue.ts';
import { DAY, dateOnly, startOfDay } from './calendar.ts';
import { personName } from './names.ts';
import { applyArchetype, planFor } from './plans.ts';
import { Random } from './random.ts';
import type { DemoEmployee, Level, Plan, ResolvedOptions } from './types.ts';

const TEAM_MIN = 6;
const TEAM_MAX = 12;
/** Team leads (or managers) per manager. */
const SPAN = 7;

interface Node {
  level: Level;
  department: Department | undefined;
  siteKey: string;
  team: string;
  role: string;
  teamChannel?: SupportChannel;
  segment?: number;
  /** Added to the skill of the team's members: some teams are better run than others. */
  teamEffect: number;
  children: Node[];
}

export interface Person {
  employee: DemoEmployee;
  plan: Plan;
}

/** Managers needed above `teams` team leads so that nobody has more than eight direct reports. */
function managerLevels(teams: number): number {
  let count = 0;
  for (let n = teams; n > 8; ) {
    n = Math.ceil(n / SPAN);
    count += n;
  }
  return count;
}

/** Splits `total` into `parts` sizes, each within [min, max] when possible, near-even at random. */
function splitSizes(rng: Random, total: number, parts: number, min: number, max: number): number[] {
  if (parts === 1) return [total];
  const base = Math.min(min, Math.floor(total / parts));
  const sizes = new Array<number>(parts).fill(base);
  let left = total - base * parts;
  while (left > 0) {
    const i = rng.int(0, parts - 1);
    if (sizes[i] < max || sizes.every((s) => s >= max)) {
      sizes[i]++;
      left--;
    }
  }
  return sizes;
}

/** Largest-remainder allocation of `total` people over the departments' shares. */
function allocate(total: number): number[] {
  const exact = DEPARTMENTS.map((d) => d.share * total);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0, left = total - counts.reduce((a, b) => a + b, 0); left > 0; k++, left--) counts[order[k % order.length][1]]++;
  return counts;
}

function city(siteKey: string): string {
  return SITES[siteKey].name.split(',')[0];
}

function memberRole(rng: Random, d: Department): string {
  return rng.weighted(d.roles, d.roleWeights);
}

/** One department's subtree: director → managers → team leads → members. */
function buildDepartment(rng: Random, d: Department, headcount: number): Node[] {
  const teamCounter = new Map<string, number>();
  const newTeam = (siteKey: string): Node => {
    const node: Node = { level: 'lead', department: d, siteKey, team: '', role: 'team-lead', teamEffect: 0.25 * rng.normal(), children: [] };
    let label = d.teamPrefix;
    if (d.track === 'support') {
      node.teamChannel = rng.weighted(SUPPORT_CHANNELS, SUPPORT_CHANNEL_WEIGHTS);
      label += ` ${node.teamChannel[0].toUpperCase()}${node.teamChannel.slice(1)}`;
    } else if (d.track === 'sales') {
      node.segment = rng.weightedIndex(SALES_SEGMENT_WEIGHTS);
      label += ` ${SALES_SEGMENTS[node.segment].name}`;
    }
    label += ` ${city(siteKey)}`;
    const n = (teamCounter.get(label) ?? 0) + 1;
    teamCounter.set(label, n);
    node.team = `${label} ${n}`;
    return node;
  };
  const member = (team: Node): Node => ({ ...team, level: 'member', role: memberRole(rng, d), children: [] });

  // Tiny departments: one or two people reporting to the executive.
  if (headcount <= 2) {
    const team = newTeam(rng.weighted(d.sites, d.siteWeights));
    return Array.from({ length: headcount }, () => member(team));
  }
  // Small departments: the most senior person leads the only team.
  if (headcount < TEAM_MIN + 8) {
    const lead = newTeam(rng.weighted(d.sites, d.siteWeights));
    for (let i = 1; i < headcount; i++) lead.children.push(member(lead));
    return [lead];
  }

  const membersFor = (t: number) => headcount - 1 - t - managerLevels(t);
  let teams = Math.max(1, Math.round((headcount - 1) / 10.2));
  while (membersFor(teams) / teams > TEAM_MAX) teams++;
  while (teams > 1 && membersFor(teams) / teams < TEAM_MIN) teams--;
  const sizes = splitSizes(rng, membersFor(teams), teams, TEAM_MIN, TEAM_MAX);
  // Sorted by site so that a manager's teams mostly share a site.
  const siteOf = Array.from({ length: teams }, () => rng.weighted(d.sites, d.siteWeights)).sort((a, b) => d.sites.indexOf(a) - d.sites.indexOf(b));
  let nodes: Node[] = siteOf.map((siteKey, i) => {
    const lead = newTeam(siteKey);
    for (let k = 0; k < sizes[i]; k++) lead.children.push(member(lead));
    return lead;
  });
  while (nodes.length > 8) {
    const groups = splitSizes(rng, nodes.length, Math.ceil(nodes.length / SPAN), 4, SPAN + 1);
    const next: Node[] = [];
    let at = 0;
    for (const g of groups) {
      const children = nodes.slice(at, at + g);
      at += g;
      next.push({ level: 'manager', department: d, siteKey: children[0].siteKey, team: `${d.name} management`, role: 'manager', teamEffect: 0, children });
    }
    nodes = next;
  }
  const head: Node = { level: 'director', department: d, siteKey: nodes[0].siteKey, team: `${d.name} leadership`, role: 'director', teamEffect: 0, children: nodes };
  return [head];
}

// Tenure in days by level: new hires are rare but present (a few under 90 and under 180 days),
// most people have stayed for years, leaders longest.
function tenureDays(rng: Random, level: Level): number {
  const years = (lo: number, mean: number) => Math.min(20 * 365, Math.round(lo + rng.exponential(mean)));
  switch (level) {
    case 'member': {
      const u = rng.float();
      if (u < 0.045) return rng.int(5, 83);
      if (u < 0.09) return rng.int(90, 173);
      return years(200, 900);
    }
    case 'lead': return years(365, 1200);
    case 'manager': return years(900, 1400);
    case 'director': return years(1500, 1500);
    case 'executive': return years(2000, 1500);
  }
}

/** Typical age when hired, by level. */
const AGE_AT_HIRE: Record<Level, number> = { member: 27, lead: 30, manager: 34, director: 38, executive: 43 };

function ageBand(age: number): string {
  if (age < 30) return '18-29';
  if (age < 40) return '30-39';
  if (age < 50) return '40-49';
  if (age < 60) return '50-59';
  return '60+';
}

function asciiName(s: string): string {
  return s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

function person(rng: Random, node: Node, index: number, managerId: string | undefined, o: ResolvedOptions): Person {
  const id = `E${String(index + 1).padStart(6, '0')}`;
  const female = node.department?.female ?? 0.45;
  const gender = rng.weighted(GENDERS, [female * 0.95, (1 - female) * 0.95, 0.02, 0.03]);
  const site = SITES[node.siteKey];
  const ethnicity = rng.weighted(ETHNICITIES, site.ethnicity);
  const { first, last } = personName(rng, node.siteKey, ethnicity, gender);
  const tenure = tenureDays(rng, node.level);
  let hireMs = startOfDay(o.asOfMs) - tenure * DAY;
  hireMs -= ((new Date(hireMs).getUTCDay() + 6) % 7) * DAY; // people start on Mondays
  // Some join later in life (career changers, returners): the age bands stay believable.
  const ageAtHire = Math.max(19, Math.min(64, AGE_AT_HIRE[node.level] + 7 * rng.normal() + (rng.chance(0.2) ? 14 : 0)));
  const age = Math.min(67, ageAtHire + (o.asOfMs - hireMs) / (365.25 * DAY));
  const employee: DemoEmployee = {
    id,
    name: `${first} ${last}`,
    email: `${asciiName(first)}.${asciiName(last)}.${index + 1}@example.com`,
    role: node.role,
    team: node.team,
    department: node.department?.name ?? 'Executive Office',
    location: site.name,
    ...(managerId ? { managerId } : {}),
    hireDate: dateOnly(hireMs),
    attributes: {
      demo: true,
      gender,
      ethnicity,
      ageBand: ageBand(age),
      contract: node.level === 'member' && rng.chance(tenure < 365 ? 0.12 : 0.04) ? 'fixed-term' : 'permanent',
      workMode: rng.weighted(['onsite', 'hybrid', 'remote'] as const, [55, 35, 10]),
    },
  };
  const plan = planFor(Random.stream(o.seed, 'plan', index), {
    track: node.department?.track ?? 'executive',
    level: node.level,
    utcOffset: site.utcOffset,
    hireMs,
    asOfMs: o.asOfMs,
    teamEffect: node.teamEffect,
    ...(node.teamChannel ? { teamChannel: node.teamChannel } : {}),
    segment: node.segment ?? 0,
  });
  return { employee, plan };
}

/** Everyone, managers before their reports, ids E000001… in that order. */
export function buildOrganisation(o: ResolvedOptions): Person[] {
  const rng = Random.stream(o.seed, 'organisation');
  let roots: Node[];
  if (o.employees === 1) {
    roots = buildDepartment(rng, DEPARTMENTS[0], 1);
  } else {
    const executive: Node = { level: 'executive', department: undefined, siteKey: 'london', team: 'Executive office', role: 'executive', teamEffect: 0, children: [] };
    const counts = allocate(o.employees - 1);
    DEPARTMENTS.forEach((d, i) => {
      if (counts[i] > 0) executive.children.push(...buildDepartment(rng, d, counts[i]));
    });
    roots = [executive];
  }
  const people: Person[] = [];
  const visit = (node: Node, managerId: string | undefined) => {
    const index = people.length;
    const p = person(Random.stream(o.seed, 'person', index), node, index, managerId, o);
    people.push(p);
    for (const child of node.children) visit(child, p.employee.id);
  };
  // Recursion is fine: the tree is a handful of levels deep.
  for (const r of roots) visit(r, undefined);
  guaranteeArchetypes(people, o);
  return people;
}

/**
 * Small organisations may draw no star or no dip at all; the demo promises a couple of each
 * (among support agents and sales reps) once a department has twenty established people.
 */
function guaranteeArchetypes(people: Person[], o: ResolvedOptions): void {
  const rng = Random.stream(o.seed, 'guarantee');
  for (const track of ['support', 'sales'] as const) {
    const established = people.filter((p) => p.plan.track === track && p.plan.level === 'member' && o.asOfMs - p.plan.hireMs >= 365 * DAY);
    if (established.length < 20) continue;
    for (const archetype of ['star', 'dip'] as const) {
      let have = established.filter((p) => p.plan.archetype === archetype).length;
      const stable = established.filter((p) => p.plan.archetype === 'stable');
      while (have < 2 && stable.length > 0) {
        const [chosen] = stable.splice(rng.int(0, stable.length - 1), 1);
        applyArchetype(rng, chosen.plan, archetype, o.asOfMs);
        have++;
      }
    }
  }
}
