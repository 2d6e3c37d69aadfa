// The shapes the admin API answers with (schemas/api.schema.json), as the UI reads them.

export type Role = 'admin' | 'hr' | 'manager' | 'employee' | 'viewer';
export type Outcome = 'recognition' | 'coaching' | 'pip';
export type ConditionResult = 'pass' | 'fail' | 'unknown';

export interface Principal {
  tokenId?: number;
  name: string;
  role: Role;
  employeeId?: string;
}

export interface ApiDiagnostic {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  file?: string;
  line: number;
  column: number;
  hint?: string;
}

export interface PolicySummary {
  policyId: string;
  title: string;
  latestVersion: number;
  author: string;
  publishedAt: string;
  owner?: string;
  schedule?: string;
  mode?: string;
}

export interface PolicyVersion {
  policyId: string;
  version: number;
  yaml?: string;
  contentHash: string;
  title: string;
  author: string;
  comment: string;
  publishedAt: string;
  rolledBackFrom?: number;
}

export interface PolicyDetail {
  latest: PolicyVersion & { yaml: string };
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
}

export interface FactSide {
  fact: string;
  path?: string;
  params?: Record<string, unknown>;
  value: unknown;
  status: string;
  samples?: number;
  minSamples?: number;
  window?: { from: string; to: string };
  unit?: string;
  message?: string;
}

export interface LeafExplanation {
  kind: 'fact';
  name?: string;
  operator: string;
  left: FactSide;
  threshold: unknown;
  right?: FactSide;
  result: ConditionResult;
  reason?: string;
}

export interface GroupExplanation {
  kind: 'all' | 'any' | 'not';
  name?: string;
  result: ConditionResult;
  children: ConditionExplanation[];
}

export type ConditionExplanation = LeafExplanation | GroupExplanation;

export interface RuleExplanation {
  ruleId: string;
  priority: number;
  outcome: Outcome;
  status: 'fired' | 'not-fired' | 'indeterminate' | 'shadowed' | 'blocked';
  counted: boolean;
  reason: string;
  conditions: ConditionExplanation;
}

export interface AffectedEmployee {
  employeeId: string;
  name: string;
  team?: string;
  outcomes: Outcome[];
  rules: Array<{ ruleId: string; outcome: Outcome; explanation: RuleExplanation }>;
}

export interface FairnessGroup {
  group: string;
  notRecorded: boolean;
  size: number;
  selected: number;
  selectionRate: number;
  favourableRate: number;
  adverseRate: number;
  impactRatio: number | null;
  adverseRateRatio: number | null;
  flagged: boolean;
  tooSmall: boolean;
  fisherP: number | null;
  isReference: boolean;
}

export interface FairnessSection {
  outcome: Outcome;
  attribute: string;
  favourable: 'selected' | 'not selected';
  selected: number;
  judged: number;
  reference: string[];
  noRatioReason: string | null;
  groups: FairnessGroup[];
  notes: string[];
}

export interface FairnessFlag {
  outcome: Outcome;
  attribute: string;
  group: string;
  impactRatio: number;
  message: string;
}

export interface FairnessReport {
  populationSize: number;
  minGroupSize: number;
  threshold: number;
  protectedAttributes: string[];
  sections: FairnessSection[];
  flags: FairnessFlag[];
  notes: string[];
  attributes?: Array<{ attribute: string; notRecorded: number; tooSmall: string[]; notes: string[] }>;
}

export interface SimulateResponse {
  policyId: string;
  asOf: string;
  publishedVersion: number | null;
  inScope: { draft: number; published: number };
  counts: { draft: Record<Outcome, number>; published: Record<Outcome, number> };
  newlyAffected: AffectedEmployee[];
  noLongerAffected: AffectedEmployee[];
  changedOutcome: Array<{ employeeId: string; name: string; before: Outcome[]; after: Outcome[]; rules: AffectedEmployee['rules'] }>;
  undecided: { draft: number; published: number };
  fairness: FairnessReport;
  ms: number;
}

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

export interface CaseSummary {
  id: number;
  type: Outcome;
  status: string;
  employeeId: string;
  employeeName: string | null;
  team: string | null;
  policyId: string;
  policyVersion: number;
  ruleId: string;
  period: string;
  approval: string;
  dueAt: string | null;
  nextCheckInAt: string | null;
  openedAt: string;
  updatedAt: string;
}

export interface CaseEvent {
  id: number;
  at: string;
  actor: string;
  event: string;
  from: string | null;
  to: string | null;
  note: string | null;
  data: Record<string, unknown>;
}

export interface AllowedAction {
  action: string;
  to: string;
  noteRequired: boolean;
  requires: Array<'scheduledFor' | 'goals' | 'dueAt' | 'checkInEveryDays'>;
  description: string;
}

export interface CaseDetail extends CaseSummary {
  params: Record<string, unknown>;
  explanation: RuleExplanation | null;
  goals: string[] | null;
  checkInEveryDays: number | null;
  scheduledFor: string | null;
  supersededBy: number | null;
  workflows: string[];
  events: CaseEvent[];
  deliveries: Array<{ id: number; workflow: string; event: string; status: string; attempts: number; lastError: string | null }>;
  allowedActions: AllowedAction[];
}

export interface TransitionRequest {
  action: string;
  note?: string;
  data?: { scheduledFor?: string; goals?: string[]; dueAt?: string; checkInEveryDays?: number };
}

export interface Employee {
  id: string;
  name: string;
  email?: string;
  role?: string;
  team?: string;
  department?: string;
  location?: string;
  managerId?: string;
  hireDate?: string;
  tenureDays: number | null;
  attributes?: Record<string, unknown>;
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

export interface Threshold {
  ruleId: string;
  outcome: string;
  operator: string;
  value: number;
}

export interface TrendSeries {
  policyId: string;
  fact: string;
  metric: string;
  title: string;
  unit: string;
  direction: string;
  points: Array<{ period: string; from: string; to: string; status: 'ok' | 'insufficient'; value: number | null; samples: number; minSamples: number }>;
  thresholds: Threshold[];
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

export type OutcomeCounts = Record<Outcome, number>;

export interface DashboardCase {
  id: number;
  type: Outcome;
  status: string;
  employeeId: string;
  employeeName: string | null;
  team: string | null;
  policyId: string;
  ruleId: string;
  dueAt: string | null;
  scheduledFor: string | null;
  nextCheckInAt: string | null;
  openedAt: string;
  params?: Record<string, unknown>;
}

export interface GroupTrendSeries {
  policyId: string;
  fact: string;
  metric: string;
  title: string;
  unit: string;
  direction: string;
  minSamples: number;
  points: Array<{ period: string; from: string; to: string; value: number | null; members: number; withData: number }>;
  thresholds: Threshold[];
}

export interface Dashboard {
  asOf: string;
  cycle: 'week' | 'month' | 'quarter';
  periods: Array<{ period: string; from: string; to: string }>;
  employees: number;
  trends: Array<{ by: 'team' | 'department'; group: string; members: number; series: GroupTrendSeries[] }>;
  outcomes: Array<{ period: string; from: string; to: string; decisions: OutcomeCounts; cases: OutcomeCounts }>;
  openCases: {
    total: number;
    byStatus: Array<{ type: Outcome; status: string; count: number }>;
    byDue: { overdue: number; next7Days: number; next30Days: number; later: number; noDueDate: number };
    upcoming: DashboardCase[];
  };
  recognitions: DashboardCase[];
}
