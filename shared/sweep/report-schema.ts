/**
 * The sweep report's schema, written once with zod: it validates reports (tests, `fan-out` partials read
 * back from S3) and generates the published JSON Schema, docs/sweep-report.schema.json (a test keeps the
 * two identical). Change it only additively within a schema version.
 */
import { z } from 'zod';
import { SWEEP_REPORT_SCHEMA_ID, SWEEP_REPORT_SCHEMA_VERSION } from './model.ts';

const severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);
const counts = z.strictObject({ info: z.number().int().min(0), low: z.number().int().min(0), medium: z.number().int().min(0), high: z.number().int().min(0), critical: z.number().int().min(0) })
  .partial().meta({ description: 'Counts by severity; severities with no finding are left out.' });
const checkMode = z.enum(['off', 'report', 'enforce']);
const actionStatus = z.enum(['applied', 'planned', 'skipped', 'failed']);
const isoTime = z.iso.datetime({ offset: true });

const resource = z.strictObject({
  type: z.enum(['cluster', 'security-group', 'security-group-rule', 'auto-scaling-group', 'nodegroup', 'iam-role', 'load-balancer']),
  id: z.string().min(1),
  arn: z.string().optional(),
}).meta({ description: 'The resource the finding is about.' });

const action = z.strictObject({
  kind: z.string().min(1).meta({ description: 'Action type, e.g. AuthorizeRules, RevokeRules, TagAsg.' }),
  summary: z.string().meta({ description: 'One sentence: what the fix changes.' }),
  status: actionStatus.meta({ description: 'applied; skipped (already right); planned (dry-run, report mode or exempt: not run); failed.' }),
  reason: z.string().optional().meta({ description: 'Why planned, skipped or failed.' }),
});

const finding = z.strictObject({
  id: z.string().min(1).meta({ description: 'Stable across sweeps: <check>:<resource id>[:<detail>].' }),
  check: z.string().min(1),
  severity,
  resource,
  title: z.string(),
  evidence: z.record(z.string(), z.unknown()).meta({ description: 'What was seen, as plain data.' }),
  fixHint: z.string().min(1).meta({ description: 'What a person should do about it.' }),
  state: z.enum(['open', 'planned', 'pending', 'fixed', 'failed', 'exempt']).meta({
    description: 'open: reported only; planned: a fix exists but was not run; pending: a first step was applied, the fix completes on a later sweep; fixed: fixed by this sweep; failed: the fix failed; exempt: opted out by tag.',
  }),
  actions: z.array(action),
  change: z.enum(['new', 'still-open', 'resolved']).optional().meta({
    description: 'Against the previous sweep (same account, region, cluster and id): new: open now, not open then; still-open: open both times; resolved: open then, fixed or exempt now. Absent when not compared.',
  }),
});

const cluster = z.strictObject({
  name: z.string().min(1),
  arn: z.string().optional(),
  account: z.string(),
  region: z.string(),
  status: z.enum(['pass', 'fail', 'error', 'not-found', 'gone']).meta({ description: 'fail when any finding is still open; error when the cluster could not be swept.' }),
  error: z.string().optional(),
  checks: z.array(z.strictObject({
    name: z.string(),
    mode: checkMode,
    status: z.enum(['pass', 'fixed', 'fail']),
    findings: z.number().int().min(0),
  })),
  findings: z.array(finding),
  loadBalancerHeadroom: z.array(z.strictObject({
    groupId: z.string().min(1),
    groupName: z.string().optional(),
    ingressRulesUsed: z.number().int().min(0).meta({ description: 'Inbound rules as the quota counts them (each CIDR and each referenced group is one).' }),
    quota: z.number().int().min(1).meta({ description: 'Inbound rules per security group (Service Quotas vpc / L-0EA8095F, or the default 60).' }),
    servicesThatFit: z.number().int().min(0).meta({ description: 'How many more single-port LoadBalancer Services fit, at rulesPerService rules each (an estimate).' }),
    rulesPerService: z.number().int().min(1),
  })).optional().meta({ description: 'Per security group tagged kubernetes.io/cluster/<name>: room for more LoadBalancer Services (nlb-preflight; absent when it did not run).' }),
  durationMs: z.number().min(0),
  baseline: z.enum(['compared', 'not-in-baseline']).optional().meta({ description: 'compared: swept in the previous report too; not-in-baseline: new, or not swept last time (its open findings count as new). Absent when not compared.' }),
});

const resolvedFinding = z.strictObject({
  id: z.string().min(1),
  check: z.string().min(1),
  severity,
  title: z.string(),
  resource,
  cluster: z.string(),
  account: z.string(),
  region: z.string(),
  resolution: z.enum(['fixed', 'exempt', 'gone']).meta({ description: 'fixed: by this sweep; exempt: exempted since; gone: no longer found (fixed by someone, or the resource is gone).' }),
});

const comparison = z.strictObject({
  baseline: z.strictObject({
    status: z.enum(['compared', 'missing', 'unreadable', 'off']).meta({
      description: 'compared; missing: first sweep, no previous report there (every open finding is new); unreadable: not a report this version can read (every open finding is new); off: no previous report asked for.',
    }),
    source: z.string().optional().meta({ description: 'File path or s3:// URL of the previous report or of its "latest" pointer.' }),
    sweepId: z.string().optional(),
    finishedAt: isoTime.optional(),
    reason: z.string().optional(),
  }),
  new: z.strictObject({ total: z.number().int().min(0), bySeverity: counts }),
  stillOpen: z.number().int().min(0),
  resolved: z.strictObject({ total: z.number().int().min(0), bySeverity: counts, findings: z.array(resolvedFinding) }),
  notCompared: z.array(z.strictObject({ cluster: z.string(), account: z.string(), region: z.string(), open: z.number().int().min(0), reason: z.string() }))
    .meta({ description: 'Clusters of the previous report this sweep did not sweep: their findings are neither resolved nor still open.' }),
}).meta({ description: 'This sweep against the previous one: only clusters swept both times are compared.' });

export const sweepReportSchema = z.strictObject({
  $schema: z.literal(SWEEP_REPORT_SCHEMA_ID),
  schemaVersion: z.literal(SWEEP_REPORT_SCHEMA_VERSION),
  sweepId: z.string().min(1),
  startedAt: isoTime,
  finishedAt: isoTime,
  mode: z.enum(['enforce', 'dry-run']),
  trigger: z.enum(['schedule', 'cli', 'fan-out']),
  scopes: z.array(z.strictObject({ account: z.string(), region: z.string(), error: z.string().optional() })).meta({ description: 'Each account and region swept; error when it could not be (e.g. AssumeRole denied).' }),
  checks: z.array(z.strictObject({ name: z.string(), description: z.string(), mode: checkMode })),
  summary: z.strictObject({
    clusters: z.number().int().min(0),
    clustersPassing: z.number().int().min(0),
    clustersFailing: z.number().int().min(0),
    clustersErrored: z.number().int().min(0),
    open: z.strictObject({ total: z.number().int().min(0), bySeverity: counts, byCheck: z.record(z.string(), counts) }).meta({ description: 'Findings still open (open, planned, pending or failed).' }),
    byState: z.strictObject({ open: z.number().int().min(0), planned: z.number().int().min(0), pending: z.number().int().min(0), fixed: z.number().int().min(0), failed: z.number().int().min(0), exempt: z.number().int().min(0) }),
    actions: z.strictObject({ applied: z.number().int().min(0), planned: z.number().int().min(0), skipped: z.number().int().min(0), failed: z.number().int().min(0) }),
  }),
  clusters: z.array(cluster),
  calls: z.strictObject({ total: z.number().int().min(0), mutating: z.number().int().min(0), byOperation: z.record(z.string(), z.number().int().min(0)) })
    .meta({ description: 'AWS calls the sweep made, by Service.Operation; mutating counts writes to the customer resources (EC2, EKS, Auto Scaling, ELB, IAM), not to our own bus or bucket.' }),
  comparison,
}).meta({
  $id: SWEEP_REPORT_SCHEMA_ID,
  title: 'eks-guardrails sweep report',
  description: `Result of one compliance sweep (schema version ${SWEEP_REPORT_SCHEMA_VERSION}). A new required field bumps the minor version, a breaking change the major one; 1.1 added the comparison with the previous sweep.`,
});

/** The published JSON Schema (draft 2020-12), generated from the zod schema above. */
export function sweepReportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(sweepReportSchema, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
}

export function validateSweepReport(value: unknown): { ok: true } | { ok: false; issues: string[] } {
  const r = sweepReportSchema.safeParse(value);
  return r.success ? { ok: true } : { ok: false, issues: r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
}
