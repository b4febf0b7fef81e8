import type { Check, CheckOutcome, ClusterSnapshot, GuardrailsConfig, Severity } from '../../types/index.ts';
import { CONTROL_PLANE_LOGGING } from './names.ts';
import { DEFAULT_REQUIRED_LOG_TYPES } from '../../config/control-plane-log-types.ts';

/** Audit logs are the record of every change: without them an incident cannot be reconstructed. */
const SEVERITY_BY_TYPE: Record<string, Severity> = {
  audit: 'high', authenticator: 'medium', api: 'medium', controllerManager: 'low', scheduler: 'low',
};
const ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/**
 * The one compliance check that may act: enabling log types only adds (billed CloudWatch ingestion, no
 * disruption), and only when the user sets `control-plane-logging=enforce`.
 */
export const controlPlaneLogging: Check = {
  name: CONTROL_PLANE_LOGGING,
  description: 'The required EKS control-plane log types (default api, audit, authenticator) are sent to CloudWatch Logs.',
  defaultMode: 'report',
  facets: [],
  triggers: ['sweep'],
  run(snapshot: ClusterSnapshot, config: GuardrailsConfig): CheckOutcome {
    const { cluster } = snapshot;
    const required = config.compliance?.requiredLogTypes ?? DEFAULT_REQUIRED_LOG_TYPES;
    if (!cluster.loggingEnabledTypes) return { findings: [], actions: [] };
    const enabled = new Set(cluster.loggingEnabledTypes);
    const disabled = required.filter((t) => !enabled.has(t));
    if (disabled.length === 0) return { findings: [], actions: [] };
    const severity = disabled.map((t) => SEVERITY_BY_TYPE[t] ?? 'low').reduce((a, b) => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a));
    const types = JSON.stringify({ clusterLogging: [{ types: disabled, enabled: true }] });
    const id = `${CONTROL_PLANE_LOGGING}:${cluster.name}`;
    return {
      findings: [{
        id,
        check: CONTROL_PLANE_LOGGING,
        severity,
        resource: { type: 'cluster', id: cluster.name, arn: cluster.arn },
        title: `Cluster ${cluster.name} does not log ${disabled.join(', ')} from its control plane`,
        evidence: { required: [...required], enabled: [...enabled].sort(), disabled },
        fixHint: `aws eks update-cluster-config --name ${cluster.name} --logging '${types}' (logs go to /aws/eks/${cluster.name}/cluster in CloudWatch Logs; ingestion is billed), or set GUARDRAILS_CHECK_MODES=${CONTROL_PLANE_LOGGING}=enforce to let eks-guardrails enable them.`,
      }],
      // Planned always so reports show it; runs only when the user sets this check to enforce (default report).
      actions: [{
        kind: 'EnableClusterLogging', check: CONTROL_PLANE_LOGGING, findingId: id, clusterName: cluster.name, types: disabled,
        summary: `Enable control-plane logging of ${disabled.join(', ')} on cluster ${cluster.name}`,
        before: { enabled: [...enabled].sort() }, after: { enabled: [...new Set([...enabled, ...disabled])].sort() },
      }],
    };
  },
};
