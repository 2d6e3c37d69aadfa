// The shapes the admin API answers with (schemas/api.schema.json), as the UI reads them: the
// UI's one place that names them. Where core already declares a shape the API serialises as it
// is, it is imported from core (type-only: esbuild erases these imports, so nothing of core is
// bundled); where the JSON differs from the core type (fields dropped or added by the route,
// a column typed more loosely in core), the wire type is derived from the core one.
import type { CaseDetail as StoredCaseDetail, CaseListItem as StoredCaseListItem, CaseSummary as StoredCaseSummary } from '../../core/cases/queries.ts';
import type { TransitionDef } from '../../core/cases/lifecycle.ts';
import type { TransitionInput } from '../../core/cases/transitions.ts';
import type { Diagnostic } from '../../core/diagnostics/diagnostic.ts';
import type { RuleExplanation } from '../../core/evaluate/evaluate.ts';
import type { FairnessReport } from '../../core/fairness/types.ts';
import type { Outcome } from '../../core/policy/builtin-facts.ts';
import type { PolicyVersion as StoredPolicyVersion } from '../../core/policy/versions.ts';
import type { Employee as StoredEmployee } from '../../core/run/employees.ts';
import type { SimulationResult } from '../../core/run/simulate.ts';
import type { BacktestResult } from '../../core/run/backtest.ts';
import type { GroupTrend, OverviewColumn, OverviewRow, TrendSeries } from '../../core/run/trends.ts';
import type { TokenInfo } from '../../core/auth/tokens.ts';
import type { Kudos } from '../../core/people/feedback/kudos.ts';
import type { Goal as StoredGoal, GoalEvent, GoalInput, GoalProgress, PipGoalInput, PipGoalSnapshot, Measure } from '../../core/people/goals/index.ts';
import type { GoalAction } from '../../core/people/goals/lifecycle.ts';
import type { StoredNotice } from '../../core/compliance/notices/record.ts';
import type { PolicyNotices } from '../../core/compliance/notices/queries.ts';

export type { Principal, Role } from '../../core/auth/tokens.ts';
export type { Kudos } from '../../core/people/feedback/kudos.ts';
export type { CaseEvent } from '../../core/cases/queries.ts';
export type {
  ConditionExplanation, ConditionResult, FactSide, GroupExplanation, LeafExplanation, RuleExplanation,
} from '../../core/evaluate/evaluate.ts';
export type { FairnessFlag, FairnessGroup, FairnessReport, FairnessSection } from '../../core/fairness/types.ts';
export type { Outcome } from '../../core/policy/builtin-facts.ts';
export type { PolicySummary } from '../../core/policy/versions.ts';
export type { AffectedEmployee } from '../../core/run/simulate.ts';
export type { GroupTrendSeries, OverviewColumn, OverviewRow, Threshold, TrendSeries } from '../../core/run/trends.ts';

export type ApiDiagnostic = Diagnostic;

/** A policy version's worker notice as it was published (core/compliance/notices). */
export type WorkerNotice = StoredNotice;
export type { NoticeItem, NoticeSection } from '../../core/compliance/notices/generate.ts';

/** How I am evaluated: the notices of the policies that apply to the signed-in person. */
export interface MyNotices {
  employeeId: string | null;
  policies: PolicyNotices[];
}

/** A published version; its YAML text only where one version is asked for (the history lists them without). */
export type PolicyVersion = Omit<StoredPolicyVersion, 'yaml'> & { yaml?: string };

export interface PolicyDetail {
  latest: StoredPolicyVersion;
  versions: PolicyVersion[];
}

export interface PolicyDiff {
  from: number;
  to: number;
  fromYaml: string;
  toYaml: string;
  unified: string;
}

export interface ValidateResponse {
  valid: boolean;
  policyId: string | null;
  diagnostics: ApiDiagnostic[];
}

export interface PublishResponse {
  changed: boolean;
  version: PolicyVersion;
  /** With four-eyes publish: the version is proposed, not in force, until another person approves it. */
  awaitingApproval?: boolean;
}

/** A backtest: the draft and the version it is compared with, replayed at each cycle's end. */
export type BacktestResponse = BacktestResult;
export type { BacktestCycle, BacktestPerson } from '../../core/run/backtest.ts';

/** A draft's simulation: the population and selections are replaced by their fairness report. */
export type SimulateResponse = Omit<SimulationResult, 'population' | 'selected'> & { fairness: FairnessReport; noticePeriod?: { noticeDays: number; enforcedFrom: string; words: string } };

export interface RunCounts {
  fired?: Partial<Record<Outcome, number>>;
  decisions?: number;
  employees?: number;
  indeterminate?: number;
}

export interface Run {
  id: number;
  trigger: string;
  asOf: string | null;
  status: 'running' | 'completed' | 'failed' | string;
  dryRun: boolean;
  runKey: string | null;
  policyVersions: Array<{ policyId: string; version: number }>;
  startedAt: string | null;
  finishedAt: string | null;
  timings: Record<string, number>;
  counts: RunCounts;
  summary: { act?: { opened?: Partial<Record<Outcome, number>>; existing?: number; suppressed?: Record<string, number> }; employeesEvaluated?: number } & Record<string, unknown>;
  error: string | null;
}

export interface Paged {
  total: number;
  page: number;
  pageSize: number;
}

/** A case in the queue (core types the column as a string; it is always an outcome). */
export type CaseSummary = Omit<StoredCaseSummary, 'type'> & { type: Outcome };

/** A case as GET /api/cases lists it: when its next step is due, and what it waits for from the caller. */
export type CaseListItem = CaseSummary & Pick<StoredCaseListItem, 'dueBy' | 'nextStep'>;
export type { QueueStep } from '../../core/cases/queue.ts';

/** An action the caller may take on a case now, from its lifecycle. */
export type AllowedAction = Pick<TransitionDef, 'action' | 'to' | 'description'> & Required<Pick<TransitionDef, 'noteRequired' | 'requires'>>;

/** One case with its stored explanation (null for a case opened without one) and what the caller may do with it. */
export type CaseDetail = Omit<StoredCaseDetail, 'type' | 'explanation'> & {
  type: Outcome;
  explanation: RuleExplanation | null;
  allowedActions: AllowedAction[];
  /** A PIP's goals with their progress now (core/people/goals/pip.ts). */
  pipGoals?: PipGoalSnapshot[];
};

export type TransitionRequest = Pick<TransitionInput, 'action' | 'note'> & {
  data?: Omit<NonNullable<TransitionInput['data']>, 'goals'> & { goals?: PipGoalInput[] };
};

/** An employee as listed: tenure as of today; never the protected attributes (see EmployeeAttributes). */
export type Employee = Omit<StoredEmployee, 'attributes'> & { tenureDays: number | null; managerName?: string | null };

/** An employee's attributes, for admins on an explicit panel, never beside performance data. */
export interface EmployeeAttributes {
  employeeId: string;
  attributes: Record<string, unknown>;
}

export interface EmployeeDecision {
  id: number;
  runId: number;
  asOf: string;
  policyId: string;
  policyVersion: number;
  period: string;
  ruleId: string;
  outcome: Outcome;
  status: string;
  explanation: RuleExplanation;
}

export interface EmployeeDetail {
  employee: Employee;
  cases: CaseSummary[];
  decisions: EmployeeDecision[];
}

export interface Trends {
  employeeId: string;
  asOf: string;
  series: TrendSeries[];
}

export interface Plugin {
  id: string;
  version: string | null;
  displayName: string;
  description: string | null;
  state: string;
  reason: string | null;
  builtin: boolean;
  hasCode: boolean;
  contributes: {
    recordKinds: Array<{ id: string; title: string }>;
    metrics: string[];
    operators: Array<{ id: string; description: string | null }>;
    workflows: Array<{ id: string; title: string }>;
    sources?: Array<{ id: string; title: string; produces: string[]; schedule: string }>;
  };
  problems: Array<{ code?: string; severity?: string; message: string; at?: string } & Record<string, unknown>>;
}

export interface MetricInfo {
  id: string;
  title: string;
  description: string | null;
  unit: string;
  range: [number | null, number | null] | null;
  direction: string;
  recordKind: string;
  defaultMinSamples: number;
  plugin: string;
  implementation: 'declarative' | 'code';
  formula: unknown;
  paramsSchema: unknown;
}

export interface Catalogue {
  metrics: MetricInfo[];
  workflows: Array<{ id: string; title: string }>;
  operators: Array<{ id: string; description: string | null; factType?: string; valueType?: string }>;
}

/** An API token as admins see it (GET /api/tokens): never its secret; every field present, null when it has no value. */
export type ApiToken = { id: number } & Pick<TokenInfo, 'name' | 'role' | 'status' | 'createdAt' | 'createdBy'>
  & { [K in 'employeeId' | 'employeeName' | 'expiresAt' | 'lastUsedAt' | 'revokedAt' | 'revokedBy']: string | null };

export type NewApiToken = Pick<TokenInfo, 'name' | 'role' | 'employeeId'> & { expiresAt?: string };

/** A token just created, with its secret: the only answer that ever holds it. */
export interface CreatedToken {
  secret: string;
  token: ApiToken;
}

export type OutcomeCounts = Record<Outcome, number>;

/** A case on the dashboard: its summary's essentials and its coaching session date; the recognition wall adds its params and their labels. */
export type DashboardCase = Pick<CaseSummary, 'id' | 'type' | 'status' | 'employeeId' | 'employeeName' | 'team' | 'policyId' | 'ruleId' | 'dueAt' | 'nextCheckInAt' | 'openedAt'> & {
  scheduledFor: string | null;
  params?: Record<string, unknown>;
  /** Plain titles of the ids in params that the policy declares (spec.labels); see labelFor in ui/lib/words.ts. */
  labels?: Record<string, string>;
};

export interface Dashboard {
  asOf: string;
  cycle: 'week' | 'month' | 'quarter';
  periods: Array<{ period: string; from: string; to: string }>;
  employees: number;
  /** Every group with trends, to choose from; `trends` holds the one asked for. */
  groups: Array<{ by: GroupTrend['by']; group: string; members: number }>;
  trends: GroupTrend[];
  /** The organisation and each department at the last period, side by side. */
  overview: { columns: OverviewColumn[]; rows: OverviewRow[] };
  outcomes: Array<{ period: string; from: string; to: string; decisions: OutcomeCounts; cases: OutcomeCounts }>;
  openCases: {
    total: number;
    byStatus: Array<{ type: Outcome; status: string; count: number }>;
    byDue: { overdue: number; next7Days: number; next30Days: number; later: number; noDueDate: number };
    upcoming: DashboardCase[];
  };
  recognitions: DashboardCase[];
  /** Kudos from colleagues and customers, beside the recognitions on the wall. */
  kudos?: Kudos[];
}

// Feedback and kudos (core/people/feedback; schemas/api.schema.json kudos…upwardRequest).
export interface Colleague { id: string; name: string; team: string | null }
export interface Compliment { surveyRecordId: number; occurredAt: string; comment: string; csat: number | null; kudosId: number | null }
export interface FeedbackNote { id: number; employeeId: string; author: string; authorId: string | null; body: string; visibility: 'private' | 'shared'; writtenAt: string; sharedAt: string | null }
export interface UpwardFeedback { id: number; managerId: string; managerName: string | null; anonymous: boolean; authorId: string | null; author: string | null; body: string; status: 'given' | 'acknowledged'; givenOn: string; acknowledgedAt: string | null }
export interface UpwardOptions { managerId: string | null; managerName: string | null; groupSize: number; anonymousAllowed: boolean; minGroupSize: number }
// Review cycles (core/people/reviews): the JSON is the core shapes as they are.
import type { CycleSummary, ReviewDetail as StoredReviewDetail, ReviewSummary as StoredReviewSummary } from '../../core/people/reviews/queries.ts';
import type { Packet } from '../../core/people/reviews/packet.ts';
import type { ReviewAction, ReviewActor, ReviewStatus } from '../../core/people/reviews/lifecycle.ts';
export type { MetricItem } from '../../core/people/reviews/sections/metrics.ts';
export type { VerbatimData } from '../../core/people/reviews/sections/verbatims.ts';
export type { PacketCase } from '../../core/people/reviews/sections/cases.ts';
export type { TrainingData } from '../../core/people/reviews/sections/training.ts';
export type { ReviewTemplate, TemplateSection } from '../../core/people/reviews/template.ts';
export type ReviewCycle = CycleSummary;
export type ReviewSummary = StoredReviewSummary;
export type { ReviewStatus };
export interface ReviewDetail extends StoredReviewDetail {
  allowedActions: Array<{ action: ReviewAction; as: ReviewActor; to: ReviewStatus; noteRequired: boolean; description: string }>;
}
export interface ReviewPacket {
  frozen: boolean;
  packet: Packet;
}
export interface ReviewTemplateInfo {
  id: string;
  title: string;
  description: string | null;
  file: string;
  sections: Array<{ id: string; title: string; weight: number; scale: string }>;
  diagnostics: ApiDiagnostic[];
}
export interface OpenCycleRequest {
  id?: string;
  period: string;
  title?: string;
  template: string;
  appliesTo?: Record<string, unknown>;
  due: { self: string; manager: string; signoff: string };
}
export interface ReviewTransitionRequest {
  action: ReviewAction;
  note?: string;
  data?: { sections?: Record<string, unknown>; summary?: string };
}

export type { GoalEvent, GoalProgress, PipGoalInput, PipGoalSnapshot, Measure, GoalAction };

/** A goal as the API gives it: with its progress as of the list's date and the actions its status allows. */
export type Goal = StoredGoal & { progress: GoalProgress; allowedActions: GoalAction[]; events?: GoalEvent[] };

/** A new goal: for one employee or one team, with an optional measure. */
export type NewGoal = Omit<GoalInput, 'measure'> & { measure?: Partial<Measure> & { metric: string; target: number } };
// Disputes (core/people/disputes): the API serialises them as core declares them.
export type { Dispute, DisputeDetail, DisputeEvent } from '../../core/people/disputes/queries.ts';
export type { DisputeStatus, Resolution, SubjectType } from '../../core/people/disputes/subject.ts';

/** One sync of a source (GET /api/sources, /api/sources/:name/syncs). */
export interface SourceSync {
  id: number;
  name: string;
  sourceId: string;
  trigger: 'manual' | 'schedule' | 'api';
  full: boolean;
  status: 'running' | 'ok' | 'failed' | 'interrupted';
  startedAt: string;
  finishedAt: string | null;
  seconds: number | null;
  batches: number;
  inserted: number;
  duplicates: number;
  employeesAdded: number;
  employeesMatched: number;
  parked: number;
  unparked: number;
  rejected: number;
  deleted: number;
  rateLimitWaits: number;
  waitedMs: number;
  notes: string[];
  error: { code: string; message: string; advice?: string } | null;
}

/** A configured source; credentials only as references and whether they are set. */
export interface SourceInfo {
  name: string;
  sourceId: string;
  title: string | null;
  available: boolean;
  enabled: boolean;
  schedule: string;
  nextRun: string | null;
  produces: string[];
  credentials: Array<{ name: string; reference: string; set: boolean }>;
  status: 'never' | SourceSync['status'];
  lastSync: SourceSync | null;
}

export interface SourceSyncs {
  name: string;
  syncs: SourceSync[];
  setAside: Array<{ syncId: number; kind: string; id: string; field: string; problem: string; at: string }>;
  waitingForPerson: number;
}

/** Notifications (core/notifications): a person's own choice, the templates, a preview, a test send. */
export type NoticeAudience = 'employee' | 'manager' | 'hr';
export interface NoticeRecord {
  id: number; outboxId: number | null; audience: string; recipient: string | null; channel: string; event: string; essential: boolean;
  subject: string | null; status: 'sent' | 'skipped' | 'held'; reason: string | null; messageId: string | null; at: string;
}
export interface NotificationPreferences {
  employeeId: string; optOut: boolean; digest: boolean; updatedBy: string | null; updatedAt: string | null;
  essential: Array<{ event: string; title: string }>;
  sent: NoticeRecord[];
}
export interface NotificationVariable { name: string; description: string; list?: boolean; flag?: boolean }
export interface NotificationTemplateInfo {
  id: string; event: string; title: string; essential: boolean; to: NoticeAudience[]; file: string;
  subject: string; text: string; html: string; chat: Record<string, unknown>; variables: NotificationVariable[];
}
export interface NotificationPreview {
  template: string; event: string; audience: NoticeAudience; subject: string; text: string; html: string;
  message: { title: string; text: string; facts: Array<{ label: string; value: string }>; link?: { label: string; url: string } };
}
