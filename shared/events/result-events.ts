import type { ActionResult, Finding, GuardrailsConfig, Severity } from '../types/index.ts';
import type { BusEvent } from '../aws/eventbridge.ts';
import type { ReconcileResult } from '../engine/result.ts';

/** Bumped on any breaking change to the detail below; documented in docs/events.md. */
export const RESULT_SCHEMA_VERSION = '1.0';

export const DETAIL_TYPES = {
  applied: 'Remediation Applied',
  planned: 'Remediation Planned',
  failed: 'Remediation Failed',
  finding: 'Finding',
} as const;

export type ResultDetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES];

/** The detail of every result event: everything a person (or the Slack notifier) needs to understand one finding. */
export interface ResultEventDetail {
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  /** Stable per finding and outcome; notify de-duplicates on the EventBridge id, reports on this. */
  findingId: string;
  outcome: 'applied' | 'planned' | 'failed' | 'reported';
  mode: 'enforce' | 'dry-run' | 'report' | 'exempt';
  cluster: { name: string; arn?: string };
  account: string;
  region: string;
  check: string;
  severity: Severity;
  resource: Finding['resource'];
  title: string;
  evidence: Record<string, unknown>;
  fixHint: string;
  actions: { kind: string; summary: string; before: unknown; after: unknown; status: ActionResult['status']; reason?: string }[];
  trigger: ReconcileResult['trigger'];
  /** How to opt this resource out, in words a person can act on. */
  exemption: { tagKey: string; value: string; how: string };
}

export function toBusEvents(result: ReconcileResult, config: GuardrailsConfig): BusEvent[] {
  // A quiet finding is state already announced; one that carries an action is news again.
  const news = (f: Finding) => !f.quiet || result.actions.some((a) => a.action.findingId === f.id);
  return result.findings.filter(news).map((finding) => {
    const actions = result.actions.filter((a) => a.action.findingId === finding.id);
    const outcome = outcomeOf(actions);
    const detail: ResultEventDetail = {
      schemaVersion: RESULT_SCHEMA_VERSION,
      findingId: finding.id,
      outcome,
      mode: finding.exempt ? 'exempt' : modeOf(actions, result.mode),
      cluster: result.cluster,
      account: result.account,
      region: result.region,
      check: finding.check,
      severity: finding.severity,
      resource: finding.resource,
      title: finding.title,
      evidence: finding.evidence,
      fixHint: finding.fixHint,
      actions: actions.map(({ action, status, reason }) => ({
        kind: action.kind, summary: action.summary, before: action.before, after: action.after, status, ...(reason ? { reason } : {}),
      })),
      trigger: result.trigger,
      exemption: {
        tagKey: config.exemptTagKey,
        value: finding.check,
        how: `Tag ${finding.resource.id} (or the cluster ${result.cluster.name}) with ${config.exemptTagKey}=${finding.check} (or =true for every check).`,
      },
    };
    const detailType = outcome === 'applied' ? DETAIL_TYPES.applied
      : outcome === 'failed' ? DETAIL_TYPES.failed
      : outcome === 'planned' ? DETAIL_TYPES.planned
      : DETAIL_TYPES.finding;
    return { detailType, detail, resources: [result.cluster.arn, finding.resource.arn].filter((r): r is string => Boolean(r)) };
  });
}

function outcomeOf(actions: readonly ActionResult[]): ResultEventDetail['outcome'] {
  if (actions.some((a) => a.status === 'failed')) return 'failed';
  if (actions.some((a) => a.status === 'applied')) return 'applied';
  if (actions.some((a) => a.status === 'planned')) return 'planned';
  return 'reported';
}

function modeOf(actions: readonly ActionResult[], runMode: ReconcileResult['mode']): ResultEventDetail['mode'] {
  if (runMode === 'dry-run') return 'dry-run';
  if (actions.some((a) => a.status === 'planned' && a.reason?.includes('report mode'))) return 'report';
  if (actions.length === 0) return 'report';
  return 'enforce';
}
