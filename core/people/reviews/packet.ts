// The review packet: what a review is about, assembled from data for one employee and one
// period, section by section. Sections come from a small registry, so that other parts of the
// people layer (goals, kudos) add theirs with one `registerPacketSection` call. While a review
// runs its packet is assembled when read; at sign-off it is frozen into the review, so the
// record kept never changes afterwards.
//
// Protected attributes never reach a packet: what it says of the employee (PacketEmployee) has no
// attributes, and each section returns only performance data.
import type { MetricContribution } from '../../plugins/manifest.ts';
import type { PluginHost } from '../../plugins/host.ts';
import type { Registry } from '../../registry/registry.ts';
import type { Queryable, Store } from '../../store/store.ts';
import type { Cycle } from '../../run/period.ts';
import { loadEmployee, type Employee } from '../../run/employees.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';

/** Who the packet is about: never their protected attributes. */
export interface PacketEmployee {
  id: string;
  name: string;
  role: string | null;
  team: string | null;
  department: string | null;
  managerId: string | null;
  managerName: string | null;
}

export interface PacketContext {
  store: Store;
  registry: Registry;
  metrics: ReadonlyMap<string, MetricContribution>;
  /** Runs code metrics (training impact); absent where no plugin code may run. */
  host?: PluginHost;
  employee: PacketEmployee;
  /**
   * The employee as the metric code needs them: a policy's `appliesTo` may select by attributes.
   * For computing only; a section never puts it (or any attribute) in what it returns.
   */
  employeeForMetrics: Employee;
  cycleId: string;
  period: string;
  cycle: Cycle;
  /** The period: [from, to). */
  from: Date;
  to: Date;
  /** The end of what the packet reads: the period's end, or now while the period runs. */
  asOf: Date;
}

/**
 * One section of the packet. `assemble` reads what it needs and returns its content: `summary`,
 * one plain sentence that any reader (the print view, the CLI) can show, and `data`, the
 * section's own shape, which the UI renders when it knows the section's id.
 */
export interface PacketSection<T = unknown> {
  id: string;
  title: string;
  assemble(ctx: PacketContext): Promise<{ summary: string; data: T }>;
}

export interface AssembledSection {
  id: string;
  title: string;
  summary: string;
  data: unknown;
}

export interface Packet {
  cycleId: string;
  period: string;
  from: string;
  to: string;
  asOf: string;
  assembledAt: string;
  employee: PacketEmployee;
  sections: AssembledSection[];
}

const SECTIONS: PacketSection[] = [];

/** Adds a section at the end of the packet (or replaces the one with the same id). */
export function registerPacketSection(section: PacketSection): void {
  const i = SECTIONS.findIndex((s) => s.id === section.id);
  if (i >= 0) SECTIONS[i] = section;
  else SECTIONS.push(section);
}

export function packetSectionIds(): string[] {
  return SECTIONS.map((s) => s.id);
}

export async function packetEmployee(db: Queryable, id: string): Promise<{ employee: PacketEmployee; forMetrics: Employee }> {
  const e = await loadEmployee(db, id);
  if (!e) throw new AppraiseError('APPRAISE_EMPLOYEE_NOT_FOUND', `There is no employee ${id}.`, { employeeId: id });
  const manager = e.managerId ? await loadEmployee(db, e.managerId) : undefined;
  return {
    employee: { id: e.id, name: e.name, role: e.role ?? null, team: e.team ?? null, department: e.department ?? null, managerId: e.managerId ?? null, managerName: manager?.name ?? null },
    forMetrics: e,
  };
}

/** Every registered section, in order; a section that fails says so in its place, and the rest still show. */
export async function assemblePacket(ctx: PacketContext, now: Date = new Date()): Promise<Packet> {
  const sections: AssembledSection[] = [];
  for (const s of SECTIONS) {
    try {
      const { summary, data } = await s.assemble(ctx);
      sections.push({ id: s.id, title: s.title, summary, data });
    } catch (e) {
      sections.push({ id: s.id, title: s.title, summary: `This part could not be assembled: ${(e as Error).message}`, data: null });
    }
  }
  return {
    cycleId: ctx.cycleId, period: ctx.period, from: ctx.from.toISOString(), to: ctx.to.toISOString(), asOf: ctx.asOf.toISOString(),
    assembledAt: now.toISOString(), employee: ctx.employee, sections,
  };
}
