// zod/mini, as the other event parsers: the same validation at a fraction of the bundle.
import * as z from 'zod/mini';
import { DETAIL_TYPES, RESULT_SCHEMA_VERSION, type ResultEventDetail } from '../events/result-events.ts';
import { SWEEP_COMPLETED, SWEEP_SCHEMA_VERSION, type SweepCompletedDetail } from '../events/sweep-events.ts';
import { InvalidEventError } from '../errors.ts';
import { SEVERITIES } from '../types/index.ts';

/**
 * What notify accepts: the project's own result and sweep events as EventBridge delivers them.
 * Validated field by field, because a message built from a malformed event would say something false;
 * unknown extra fields are kept (producers may add optional fields without breaking us).
 */
const severity = z.enum(SEVERITIES as unknown as [string, ...string[]]);
const resource = z.looseObject({ type: z.string(), id: z.string(), arn: z.optional(z.string()) });

const trigger = z.looseObject({
  kind: z.string(),
  eventId: z.optional(z.string()),
  source: z.optional(z.string()),
  apiCall: z.optional(z.string()),
  actor: z.optional(z.string()),
  time: z.optional(z.string()),
  errorCode: z.optional(z.string()),
  resourceId: z.optional(z.string()),
});

const resultDetail = z.looseObject({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  findingId: z.string(),
  outcome: z.enum(['applied', 'planned', 'failed', 'reported']),
  mode: z.enum(['enforce', 'dry-run', 'report', 'exempt']),
  cluster: z.looseObject({ name: z.string(), arn: z.optional(z.string()) }),
  account: z.string(),
  region: z.string(),
  check: z.string(),
  severity,
  resource,
  title: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  fixHint: z.string(),
  actions: z.array(z.looseObject({
    kind: z.string(),
    summary: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    status: z.enum(['applied', 'planned', 'skipped', 'failed']),
    reason: z.optional(z.string()),
  })),
  trigger,
  exemption: z.looseObject({ tagKey: z.string(), value: z.string(), how: z.string() }),
});

const severityCounts = z.partialRecord(severity, z.int().check(z.nonnegative()));

const digestFinding = z.looseObject({
  id: z.string(),
  check: z.string(),
  severity,
  title: z.string(),
  resource,
  cluster: z.string(),
  account: z.string(),
  region: z.string(),
});

const sweepDetail = z.looseObject({
  schemaVersion: z.literal(SWEEP_SCHEMA_VERSION),
  sweepId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  mode: z.enum(['enforce', 'dry-run']),
  accounts: z.array(z.string()),
  regions: z.array(z.string()),
  clusters: z.int().check(z.nonnegative()),
  counts: z.looseObject({
    bySeverity: severityCounts,
    byCheck: z.record(z.string(), severityCounts),
    fixed: z.int().check(z.nonnegative()),
    planned: z.int().check(z.nonnegative()),
    failed: z.int().check(z.nonnegative()),
  }),
  topFindings: z.array(digestFinding),
  reportUrl: z.optional(z.string()),
  changes: z.optional(z.looseObject({
    baseline: z.looseObject({ status: z.enum(['compared', 'missing', 'unreadable', 'off']), sweepId: z.optional(z.string()), finishedAt: z.optional(z.string()), reason: z.optional(z.string()) }),
    new: z.int().check(z.nonnegative()),
    resolved: z.int().check(z.nonnegative()),
    stillOpen: z.int().check(z.nonnegative()),
    newFindings: z.array(digestFinding),
    resolvedFindings: z.array(z.extend(digestFinding, { resolution: z.enum(['fixed', 'exempt', 'gone']) })),
  })),
});

const envelope = z.looseObject({
  id: z.string().check(z.minLength(1)),
  'detail-type': z.string(),
  source: z.string(),
  account: z.optional(z.string()),
  region: z.optional(z.string()),
  time: z.optional(z.string()),
  detail: z.unknown(),
});

export type ResultKind = 'applied' | 'planned' | 'failed' | 'finding';

/** One event notify can render, tagged by kind. `id` is EventBridge's event id (the idempotency key). */
export type NotifyEvent =
  | { kind: ResultKind; id: string; time?: string; detail: ResultEventDetail }
  | { kind: 'sweep'; id: string; time?: string; detail: SweepCompletedDetail };

const RESULT_KINDS: Record<string, ResultKind> = {
  [DETAIL_TYPES.applied]: 'applied',
  [DETAIL_TYPES.planned]: 'planned',
  [DETAIL_TYPES.failed]: 'failed',
  [DETAIL_TYPES.finding]: 'finding',
};

export function parseNotifyEvent(raw: unknown): NotifyEvent {
  const outer = envelope.safeParse(raw);
  if (!outer.success) throw new InvalidEventError('not an EventBridge event (id, detail-type, source, detail)', issuesOf(outer.error));
  const { id, time } = outer.data;
  const detailType = outer.data['detail-type'];
  if (detailType === SWEEP_COMPLETED) {
    const detail = sweepDetail.safeParse(outer.data.detail);
    if (!detail.success) throw new InvalidEventError(`"${SWEEP_COMPLETED}" event ${id} has an invalid detail`, issuesOf(detail.error));
    return { kind: 'sweep', id, time, detail: detail.data as unknown as SweepCompletedDetail };
  }
  const kind = RESULT_KINDS[detailType];
  if (!kind) throw new InvalidEventError(`event ${id}: notify does not handle detail-type "${detailType}"`);
  const detail = resultDetail.safeParse(outer.data.detail);
  if (!detail.success) throw new InvalidEventError(`"${detailType}" event ${id} has an invalid detail`, issuesOf(detail.error));
  return { kind, id, time, detail: detail.data as unknown as ResultEventDetail };
}

/** zod's issues, reduced to where and what (never the offending values: they could be anything). */
function issuesOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}
