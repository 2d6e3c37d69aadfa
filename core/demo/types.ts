// What the demo generator produces: employees in the shape of schemas/employee.schema.json,
// records in the import shape ({employeeId, occurredAt, externalId, payload}) by record kind,
// historical coaching cases, and the latent plan each employee's activity was drawn from.
import type { SupportChannel, Track } from './catalogue.ts';

export const RECORD_KINDS = ['customer-feedback.survey', 'support.ticket', 'sales.deal', 'sales.quota', 'training.training'] as const;
export type DemoRecordKind = (typeof RECORD_KINDS)[number];

export interface DemoOptions {
  /** How many employees (managers included). */
  employees: number;
  /** Same seed and options → byte-identical output. Default 1. */
  seed?: number;
  /** Records end just before this instant. Default: today, midnight UTC. */
  asOf?: Date;
  /** Average records per employee across the organisation. Default 100. */
  recordsPerEmployee?: number;
}

export interface ResolvedOptions {
  employees: number;
  seed: number;
  asOfMs: number;
  recordsPerEmployee: number;
}

/** One employee, exactly as `employees.ndjson` carries it. */
export interface DemoEmployee {
  id: string;
  name: string;
  email: string;
  role: string;
  team: string;
  department: string;
  location: string;
  managerId?: string;
  hireDate: string;
  attributes: {
    demo: true;
    gender: string;
    ethnicity: string;
    ageBand: string;
    contract: 'permanent' | 'fixed-term';
    workMode: 'onsite' | 'hybrid' | 'remote';
  };
}

export type Level = 'executive' | 'director' | 'manager' | 'lead' | 'member';

/**
 * How an employee's performance was designed to behave. `dip`: fine until about 200 days ago,
 * then low for two quarters in a row; `star`: top of the distribution and stable.
 */
export type Archetype = 'stable' | 'improving' | 'declining' | 'dip' | 'star';

/**
 * The latent traits an employee's records are drawn from. Not written to employees.ndjson (it
 * would leak the answer into the data); available to in-process users and tests. Performance
 * traits are drawn independently of every protected attribute.
 */
export interface Plan {
  track: Track | 'executive';
  level: Level;
  utcOffset: number;
  hireMs: number;
  archetype: Archetype;
  /** Skill in standard deviations from the role's average. */
  skill: number;
  /** Change of quality per 90 days, in the same units (positive: improving). */
  trendPer90: number;
  /** `dip`: from this instant on, quality is `dipDepth` lower. */
  dipFromMs?: number;
  dipDepth: number;
  /** Multiplier of the role's activity volume. */
  volume: number;
  /** Support: multiplier of the channel's survey response rate. */
  surveyResponse: number;
  /** Support: multiplier of first-response delays (above 1 is slower). */
  slowness: number;
  /** Support: first-contact resolution at average quality. */
  fcrBase: number;
  /** Support: weights over SUPPORT_CHANNELS. */
  channels: readonly number[];
  teamChannel?: SupportChannel;
  /** Sales: index into SALES_SEGMENTS. */
  segment: number;
}

/** The span records are drawn in, and the volume scale. */
export interface ActivityWindow {
  asOfMs: number;
  horizonStartMs: number;
  /** Requested records per employee / 100. */
  scale: number;
}

export interface DemoRecord {
  employeeId: string;
  occurredAt: string;
  externalId: string;
  payload: Record<string, unknown>;
}

export type RecordsByKind = Record<DemoRecordKind, DemoRecord[]>;

/** A completed coaching case that a demo loader may insert, so that history.* facts have data. */
export interface HistoricalCase {
  employeeId: string;
  type: 'coaching';
  status: 'completed';
  policyId: string;
  ruleId: string;
  period: string;
  openedAt: string;
}

export interface EmployeeBatch {
  employee: DemoEmployee;
  plan: Plan;
  records: RecordsByKind;
  cases: HistoricalCase[];
}
