import type { Check, CheckOutcome, ClusterSnapshot, ClusterVersionInfo, ClusterVersionsFacet, Severity } from '../../types/index.ts';
import { EXTRA_CLUSTER_VERSIONS } from '../../types/index.ts';

import { KUBERNETES_VERSION_SUPPORT } from './names.ts';

const DAY = 86_400_000;

/** Standard support ending in this many days or fewer raises the severity (a control-plane upgrade takes planning). */
export const STANDARD_WARN_DAYS = { low: 180, medium: 90, high: 30 } as const;
/** Extended support costs extra per cluster hour; near its end EKS upgrades the cluster itself. */
export const EXTENDED_CRITICAL_DAYS = 60;

export type SupportPhase = 'standard' | 'extended' | 'unsupported' | 'unknown';

export interface SupportAssessment {
  phase: SupportPhase;
  severity?: Severity;
  daysLeft?: number;
  info?: ClusterVersionInfo;
}

/** Where a version stands on a given day, from its dates (or EKS's status word when dates are missing). */
export function assessVersion(version: string, versions: readonly ClusterVersionInfo[], now: number): SupportAssessment {
  const info = versions.find((v) => v.version === minorOf(version));
  if (!info) return { phase: 'unknown' };
  const endStandard = dateOf(info.endOfStandardSupport);
  const endExtended = dateOf(info.endOfExtendedSupport);
  if (endStandard !== undefined && now < endStandard) {
    const daysLeft = Math.ceil((endStandard - now) / DAY);
    const severity: Severity | undefined = daysLeft <= STANDARD_WARN_DAYS.high ? 'high'
      : daysLeft <= STANDARD_WARN_DAYS.medium ? 'medium'
      : daysLeft <= STANDARD_WARN_DAYS.low ? 'low' : undefined;
    return { phase: 'standard', severity, daysLeft, info };
  }
  if (endExtended !== undefined && now < endExtended) {
    const daysLeft = Math.ceil((endExtended - now) / DAY);
    return { phase: 'extended', severity: daysLeft <= EXTENDED_CRITICAL_DAYS ? 'critical' : 'high', daysLeft, info };
  }
  if (endExtended !== undefined) return { phase: 'unsupported', severity: 'critical', daysLeft: Math.ceil((endExtended - now) / DAY), info };
  // No dates: fall back on the status word the API gives.
  if (info.status === 'STANDARD_SUPPORT') return { phase: 'standard', info };
  if (info.status === 'EXTENDED_SUPPORT') return { phase: 'extended', severity: 'high', info };
  if (info.status === 'UNSUPPORTED') return { phase: 'unsupported', severity: 'critical', info };
  return { phase: 'unknown', info };
}

/** `1.31`, `1.31.2`, `v1.31` → `1.31`. */
function minorOf(version: string): string {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return m ? `${m[1]}.${m[2]}` : version;
}

function dateOf(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(t) ? undefined : t;
}

export const kubernetesVersionSupport: Check = {
  name: KUBERNETES_VERSION_SUPPORT,
  description: 'The cluster runs a Kubernetes version in EKS standard support, with warning as its end nears.',
  defaultMode: 'report',
  facets: ['clusterVersions'],
  triggers: ['sweep'],
  run(snapshot: ClusterSnapshot): CheckOutcome {
    const { cluster } = snapshot;
    const calendar = snapshot.extra[EXTRA_CLUSTER_VERSIONS] as ClusterVersionsFacet | undefined;
    if (!cluster.version || !calendar) return { findings: [], actions: [] };
    const a = assessVersion(cluster.version, calendar.versions, snapshot.observedAt);
    const resource = { type: 'cluster' as const, id: cluster.name, arn: cluster.arn };
    const source = calendar.source === 'api' ? 'EKS DescribeClusterVersions' : 'the built-in EKS release calendar';
    const evidence = {
      version: cluster.version,
      phase: a.phase,
      daysLeft: a.daysLeft ?? null,
      endOfStandardSupport: a.info?.endOfStandardSupport ?? null,
      endOfExtendedSupport: a.info?.endOfExtendedSupport ?? null,
      source: calendar.source,
      ...(calendar.apiError ? { apiError: calendar.apiError } : {}),
    };
    const upgrade = `Upgrade the control plane one minor version at a time (aws eks update-cluster-version --name ${cluster.name} --kubernetes-version <next>), then the node groups and add-ons.`;
    if (a.phase === 'unknown') {
      return {
        findings: [{
          id: `${KUBERNETES_VERSION_SUPPORT}:${cluster.name}:unknown`, check: KUBERNETES_VERSION_SUPPORT, severity: 'info', resource,
          title: `Cluster ${cluster.name} runs Kubernetes ${cluster.version}, which ${source} does not list`,
          evidence,
          fixHint: calendar.source === 'api'
            ? 'Check the version on the EKS Kubernetes release calendar.'
            : 'Allow eks:DescribeClusterVersions to the sweep role, or update the built-in calendar (shared/capabilities/compliance/eks-version-calendar.ts).',
        }],
        actions: [],
      };
    }
    if (!a.severity) return { findings: [], actions: [] };
    const when = a.daysLeft === undefined ? '' : a.daysLeft >= 0 ? ` (${a.daysLeft} days left)` : ` (ended ${-a.daysLeft} days ago)`;
    const title = a.phase === 'standard'
      ? `Cluster ${cluster.name} runs Kubernetes ${cluster.version}: standard support ends ${a.info?.endOfStandardSupport}${when}`
      : a.phase === 'extended'
        ? `Cluster ${cluster.name} runs Kubernetes ${cluster.version} in extended support (billed extra), which ends ${a.info?.endOfExtendedSupport ?? 'soon'}${when}`
        : `Cluster ${cluster.name} runs Kubernetes ${cluster.version}, past the end of extended support${when}`;
    const fixHint = a.phase === 'extended'
      ? `${upgrade} Extended support costs extra per cluster hour; when it ends EKS upgrades the cluster itself.`
      : a.phase === 'unsupported'
        ? `${upgrade} EKS will upgrade this cluster automatically; do it first, on your schedule.`
        : `${upgrade} Plan it before standard support ends to avoid extended-support charges.`;
    return {
      findings: [{
        id: `${KUBERNETES_VERSION_SUPPORT}:${cluster.name}`, check: KUBERNETES_VERSION_SUPPORT, severity: a.severity, resource,
        title: `${title} [source: ${source}]`, evidence, fixHint,
      }],
      actions: [],
    };
  },
};
