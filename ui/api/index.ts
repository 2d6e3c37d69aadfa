// The admin API as typed functions: the only way the UI reaches the server.
import { request, requestText } from './client.ts';
import type { FairnessAudit } from '../../core/fairness/audit.ts';
import type {
  CaseDetail, CaseListItem, Catalogue, Dashboard, Employee, EmployeeAttributes, EmployeeDetail, Paged, Plugin, PolicyDetail, PolicyDiff, PolicySummary,
  BacktestResponse, PolicyVersion, Principal, PublishResponse, Run, SimulateResponse, TransitionRequest, Trends, ValidateResponse,
} from './types.ts';
import type { ApiToken, CreatedToken, NewApiToken } from './types.ts';
import type { Colleague, Compliment, FeedbackNote, Kudos, UpwardFeedback, UpwardOptions } from './types.ts';
import type { OpenCycleRequest, ReviewCycle, ReviewDetail, ReviewPacket, ReviewSummary, ReviewTemplateInfo, ReviewTransitionRequest } from './types.ts';
import type { Goal, NewGoal } from './types.ts';
import type { Dispute, DisputeDetail, DisputeStatus, Resolution, SubjectType } from './types.ts';
import type { SourceInfo, SourceSyncs } from './types.ts';
import type { ApiDiagnostic, NoticeAudience, NotificationPreferences, NotificationPreview, NotificationTemplateInfo } from './types.ts';
import type { MyNotices, WorkerNotice } from './types.ts';

export { ApiError, session, UNAUTHORIZED_EVENT } from './client.ts';
export type * from './types.ts';
export type { FairnessAudit, AuditCycle } from '../../core/fairness/audit.ts';

type Signal = { signal?: AbortSignal };
const enc = encodeURIComponent;

export interface CaseQuery {
  type?: string;
  status?: string[];
  team?: string;
  dueBefore?: string;
  employeeId?: string;
  policyId?: string;
  /** `mine`: what waits for the caller, most urgent first; `all`: every case they may see. */
  view?: 'all' | 'mine';
  /** A column key, `-key` for descending (core/cases/sort.ts). */
  sort?: string;
  page?: number;
  pageSize?: number;
}

export interface FairnessQuery { from: string; to: string; policy?: string }

export const api = {
  /** The fairness audit of the stored runs (HR and admins). */
  fairnessAudit: (q: FairnessQuery, o: Signal = {}) => request<FairnessAudit>('GET', '/api/fairness/report', { ...o, query: { ...q } }),
  fairnessCsv: (q: FairnessQuery) => requestText('/api/fairness/report', { query: { ...q, format: 'csv' } }),
  fairnessPrintable: (q: FairnessQuery) => requestText('/api/fairness/report/print', { query: { ...q } }),
  me: (o: Signal = {}) => request<Principal>('GET', '/api/me', o),

  policies: (o: Signal = {}) => request<{ policies: PolicySummary[] }>('GET', '/api/policies', o),
  policy: (id: string, o: Signal = {}) => request<PolicyDetail>('GET', `/api/policies/${enc(id)}`, o),
  version: (id: string, version: number, o: Signal = {}) => request<PolicyVersion & { yaml: string }>('GET', `/api/policies/${enc(id)}/versions/${version}`, o),
  diff: (id: string, from: number, to: number, o: Signal = {}) => request<PolicyDiff>('GET', `/api/policies/${enc(id)}/diff`, { ...o, query: { from, to } }),
  validate: (yaml: string, o: Signal = {}) => request<ValidateResponse>('POST', '/api/policies/validate', { ...o, body: { yaml } }),
  publish: (id: string, body: { yaml: string; comment: string; baseVersion?: number; preview?: unknown; fairness?: unknown }) => request<PublishResponse>('PUT', `/api/policies/${enc(id)}`, { body }),
  rollback: (id: string, body: { version: number; comment?: string }) => request<PublishResponse>('POST', `/api/policies/${enc(id)}/rollback`, { body }),
  backtest: (id: string, body: { yaml?: string; from: string; to: string; cycle?: string; against?: 'published' | number }, o: Signal = {}) =>
    request<BacktestResponse>('POST', `/api/policies/${enc(id)}/backtest`, { ...o, body }),
  proposals: (id: string, o: Signal = {}) => request<{ proposals: PolicyVersion[] }>('GET', `/api/policies/${enc(id)}/proposals`, o),
  review: (id: string, version: number, decision: 'approve' | 'reject', note: string) =>
    request<PolicyVersion>('POST', `/api/policies/${enc(id)}/versions/${version}/${decision}`, { body: { note } }),
  simulate: (id: string, body: { yaml: string; asOf?: string }, o: Signal = {}) => request<SimulateResponse>('POST', `/api/policies/${enc(id)}/simulate`, { ...o, body }),
  notice: (id: string, version?: number, o: Signal = {}) => request<WorkerNotice>('GET', `/api/policies/${enc(id)}/notice`, { ...o, query: { version } }),
  myNotices: (o: Signal = {}) => request<MyNotices>('GET', '/api/me/notices', o),

  cases: (q: CaseQuery = {}, o: Signal = {}) => request<{ cases: CaseListItem[] } & Paged>('GET', '/api/cases', { ...o, query: { ...q } }),
  case: (id: number, o: Signal = {}) => request<CaseDetail>('GET', `/api/cases/${id}`, o),
  transition: (id: number, body: TransitionRequest) => request<CaseDetail>('POST', `/api/cases/${id}/transitions`, { body }),
  checkIn: (id: number, note: string) => request<CaseDetail>('POST', `/api/cases/${id}/checkins`, { body: { note } }),

  employees: (q: { q?: string; team?: string; department?: string; page?: number; pageSize?: number } = {}, o: Signal = {}) =>
    request<{ employees: Employee[] } & Paged>('GET', '/api/employees', { ...o, query: q }),
  employee: (id: string, o: Signal = {}) => request<EmployeeDetail>('GET', `/api/employees/${enc(id)}`, o),
  employeeAttributes: (id: string, o: Signal = {}) => request<EmployeeAttributes>('GET', `/api/employees/${enc(id)}/attributes`, o),
  employeeMetrics: (id: string, q: { periods?: number; cycle?: string; asOf?: string } = {}, o: Signal = {}) =>
    request<Trends>('GET', `/api/employees/${enc(id)}/metrics`, { ...o, query: q }),

  runs: (q: { page?: number; pageSize?: number } = {}, o: Signal = {}) => request<{ runs: Run[] } & Paged>('GET', '/api/runs', { ...o, query: q }),
  run: (id: number, o: Signal = {}) => request<Run>('GET', `/api/runs/${id}`, o),
  startRun: (body: { asOf?: string; policyIds?: string[] }) => request<{ runId: number; status: string }>('POST', '/api/runs', { body: { ...body, wait: false } }),

  plugins: (o: Signal = {}) => request<{ plugins: Plugin[] }>('GET', '/api/plugins', o),
  sources: (o: Signal = {}) => request<{ sources: SourceInfo[] }>('GET', '/api/sources', o),
  sourceSyncs: (name: string, o: Signal = {}) => request<SourceSyncs>('GET', `/api/sources/${enc(name)}/syncs`, o),
  syncSource: (name: string, body: { full?: boolean } = {}) => request<{ syncId: number; status: string }>('POST', `/api/sources/${enc(name)}/sync`, { body }),
  catalogue: (o: Signal = {}) => request<Catalogue>('GET', '/api/metrics', o),

  dashboard: (q: { periods?: number; cycle?: string; asOf?: string; group?: string } = {}, o: Signal = {}) => request<Dashboard>('GET', '/api/dashboard', { ...o, query: q }),

  goals: (employeeId: string, q: { asOf?: string } = {}, o: Signal = {}) => request<{ goals: Goal[]; asOf: string }>('GET', `/api/employees/${enc(employeeId)}/goals`, { ...o, query: q }),
  goal: (id: number, o: Signal = {}) => request<Goal>('GET', `/api/goals/${id}`, o),
  createGoal: (body: NewGoal) => request<Goal>('POST', '/api/goals', { body }),
  goalAction: (id: number, action: string, note?: string) => request<Goal>('POST', `/api/goals/${id}/actions`, { body: { action, ...(note ? { note } : {}) } }),

  tokens: (o: Signal = {}) => request<{ tokens: ApiToken[] }>('GET', '/api/tokens', o),
  createToken: (body: NewApiToken) => request<CreatedToken>('POST', '/api/tokens', { body }),
  revokeToken: (id: number) => request<ApiToken>('POST', `/api/tokens/${id}/revoke`),

  kudos: (q: { employeeId?: string; direction?: 'received' | 'given'; limit?: number } = {}, o: Signal = {}) => request<{ kudos: Kudos[]; values: string[] }>('GET', '/api/kudos', { ...o, query: q }),
  giveKudos: (body: { receiverId: string; message: string; value?: string }) => request<Kudos>('POST', '/api/kudos', { body }),
  colleagues: (o: Signal = {}) => request<{ colleagues: Colleague[]; values: string[] }>('GET', '/api/kudos/colleagues', o),
  compliments: (employeeId: string, o: Signal = {}) => request<{ compliments: Compliment[] }>('GET', '/api/kudos/compliments', { ...o, query: { employeeId } }),
  complimentToKudos: (body: { surveyRecordId: number; value?: string }) => request<Kudos>('POST', '/api/kudos/compliments', { body }),
  feedbackNotes: (employeeId: string, o: Signal = {}) => request<{ notes: FeedbackNote[]; mayWrite: boolean }>('GET', '/api/feedback/notes', { ...o, query: { employeeId } }),
  writeNote: (body: { employeeId: string; body: string; visibility: 'private' | 'shared' }) => request<FeedbackNote>('POST', '/api/feedback/notes', { body }),
  shareNote: (id: number) => request<FeedbackNote>('POST', `/api/feedback/notes/${id}/share`),
  upward: (o: Signal = {}) => request<{ feedback: UpwardFeedback[] }>('GET', '/api/feedback/upward', o),
  upwardOptions: (o: Signal = {}) => request<UpwardOptions>('GET', '/api/feedback/upward/options', o),
  giveUpward: (body: { body: string; anonymous: boolean }) => request<UpwardFeedback>('POST', '/api/feedback/upward', { body }),
  acknowledgeUpward: (id: number) => request<UpwardFeedback>('POST', `/api/feedback/upward/${id}/acknowledge`),
  reviewTemplates: (o: Signal = {}) => request<{ templates: ReviewTemplateInfo[] }>('GET', '/api/review-templates', o),
  reviewCycles: (o: Signal = {}) => request<{ cycles: ReviewCycle[] }>('GET', '/api/review-cycles', o),
  openReviewCycle: (body: OpenCycleRequest) => request<{ cycleId: string; created: number; existing: number }>('POST', '/api/review-cycles', { body }),
  extendReviewDeadline: (cycleId: string, body: { step: 'self' | 'manager' | 'signoff'; dueAt: string; note: string; reviewId?: number }) =>
    request<{ reviews: number }>('POST', `/api/review-cycles/${enc(cycleId)}/deadlines`, { body }),
  reviews: (q: { cycleId?: string; employeeId?: string; status?: string[]; overdue?: boolean; page?: number; pageSize?: number } = {}, o: Signal = {}) =>
    request<{ reviews: ReviewSummary[] } & Paged>('GET', '/api/reviews', { ...o, query: q }),
  reviewDetail: (id: number, o: Signal = {}) => request<ReviewDetail>('GET', `/api/reviews/${id}`, o),
  reviewPacket: (id: number, o: Signal = {}) => request<ReviewPacket>('GET', `/api/reviews/${id}/packet`, o),
  reviewStep: (id: number, body: ReviewTransitionRequest) => request<ReviewDetail>('POST', `/api/reviews/${id}/transitions`, { body }),
  disputes: (q: { status?: DisputeStatus[]; subjectType?: SubjectType; subjectId?: number; page?: number; pageSize?: number } = {}, o: Signal = {}) =>
    request<{ disputes: Dispute[] } & Paged>('GET', '/api/disputes', { ...o, query: q }),
  dispute: (id: number, o: Signal = {}) => request<DisputeDetail>('GET', `/api/disputes/${id}`, o),
  raiseDispute: (body: { subjectType: SubjectType; subjectId: number; section?: string; reason: string }) => request<DisputeDetail>('POST', '/api/disputes', { body }),
  resolveDispute: (id: number, body: { resolution: Resolution; note: string; amendment?: { goals?: string[]; dueAt?: string; rating?: number; section?: string } }) =>
    request<DisputeDetail>('POST', `/api/disputes/${id}/resolution`, { body }),
  withdrawDispute: (id: number, note?: string) => request<DisputeDetail>('POST', `/api/disputes/${id}/withdrawal`, { body: note ? { note } : {} }),
  myNotifications: (o: Signal = {}) => request<NotificationPreferences>('GET', '/api/me/notifications', o),
  setMyNotifications: (body: { optOut: boolean; digest: boolean }) => request<NotificationPreferences>('PUT', '/api/me/notifications', { body }),
  notificationTemplates: (o: Signal = {}) =>
    request<{ templates: NotificationTemplateInfo[]; diagnostics: ApiDiagnostic[]; configured: boolean }>('GET', '/api/notifications/templates', o),
  previewNotification: (body: { template: string; caseId?: number; employeeId?: string; audience?: NoticeAudience }, o: Signal = {}) =>
    request<NotificationPreview>('POST', '/api/notifications/preview', { ...o, body }),
  testNotification: (body: { template: string; to: string; caseId?: number; employeeId?: string; audience?: NoticeAudience }) =>
    request<{ to: string; messageId: string; subject: string; response: string }>('POST', '/api/notifications/test', { body }),
};
