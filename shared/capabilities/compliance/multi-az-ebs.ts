import type { Check, CheckOutcome, ClusterSnapshot, EbsVolumesFacet, Finding, NodegroupState, SubnetAzsFacet } from '../../types/index.ts';
import { EXTRA_EBS_VOLUMES, EXTRA_SUBNET_AZS } from '../../types/index.ts';

import { MULTI_AZ_EBS } from './names.ts';

/** Labels that legitimately differ between per-AZ siblings (cluster-autoscaler ignores them too). */
const ZONAL_LABELS = new Set(['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone', 'topology.ebs.csi.aws.com/zone']);

/** A node group's AZs, from its subnets; subnets whose AZ is unknown are left out. */
export function nodegroupAzs(ng: NodegroupState, subnetAzs: SubnetAzsFacet): string[] {
  return [...new Set(ng.subnets.map((s) => subnetAzs[s]).filter((az): az is string => Boolean(az)))].sort();
}

/**
 * The name a per-AZ node group shares with its siblings: its AZ removed in the spellings people use
 * (`data-us-east-1a`, `data-1a`, `data-a`, `data-use1-az1` is not derivable and stays distinct).
 */
export function siblingBase(name: string, az: string): string {
  const region = az.slice(0, -1);
  const letter = az.slice(-1);
  const digitLetter = az.slice(region.lastIndexOf('-') + 1); // "1a"
  for (const token of [az, digitLetter]) {
    const i = name.lastIndexOf(token);
    if (i >= 0) return squash(name.slice(0, i) + name.slice(i + token.length));
  }
  const m = new RegExp(`[-_.]${letter}$`).exec(name);
  if (m) return squash(name.slice(0, m.index));
  return name;
}

function squash(s: string): string {
  return s.replace(/[-_.]{2,}/g, '-').replace(/^[-_.]+|[-_.]+$/g, '');
}

/** How two node groups differ in what makes cluster-autoscaler's balancing treat them as one. */
export function differences(a: NodegroupState, b: NodegroupState): string[] {
  const out: string[] = [];
  const types = (n: NodegroupState) => [...n.instanceTypes].sort().join(',');
  if (types(a) !== types(b)) out.push(`instance types ${types(a) || '(launch template)'} vs ${types(b) || '(launch template)'}`);
  const labels = (n: NodegroupState) => JSON.stringify(Object.entries(n.labels).filter(([k]) => !ZONAL_LABELS.has(k)).sort());
  if (labels(a) !== labels(b)) out.push('labels');
  const taints = (n: NodegroupState) => JSON.stringify(n.taints.map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`).sort());
  if (taints(a) !== taints(b)) out.push('taints');
  if ((a.capacityType ?? 'ON_DEMAND') !== (b.capacityType ?? 'ON_DEMAND')) out.push(`capacity type ${a.capacityType ?? 'ON_DEMAND'} vs ${b.capacityType ?? 'ON_DEMAND'}`);
  return out;
}

/**
 * AWS's advice for stateful workloads on EBS with cluster-autoscaler
 * (https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html; kubernetes/autoscaler
 * `cluster-autoscaler/cloudprovider/aws/README.md`, "Common Notes and Gotchas"): an EBS volume lives in one
 * AZ, so a pod bound to it needs a node in that AZ; a node group spanning AZs lets the autoscaler add a node
 * in the wrong one. One node group per AZ plus `--balance-similar-node-groups` fixes it — if the per-AZ
 * groups really are alike.
 */
export const multiAzEbs: Check = {
  name: MULTI_AZ_EBS,
  description: 'In clusters with EBS volumes, node groups are one per AZ and per-AZ siblings are alike (for --balance-similar-node-groups).',
  defaultMode: 'report',
  facets: ['nodegroups', 'ebsVolumes'],
  triggers: ['sweep'],
  run(snapshot: ClusterSnapshot): CheckOutcome {
    const volumes = (snapshot.extra[EXTRA_EBS_VOLUMES] as EbsVolumesFacet | undefined) ?? [];
    const subnetAzs = (snapshot.extra[EXTRA_SUBNET_AZS] as SubnetAzsFacet | undefined) ?? {};
    const groups = snapshot.nodegroups ?? [];
    if (volumes.length === 0 || groups.length === 0) return { findings: [], actions: [] };
    const cluster = snapshot.cluster.name;
    const volumesByAz: Record<string, number> = {};
    for (const v of volumes) volumesByAz[v.availabilityZone] = (volumesByAz[v.availabilityZone] ?? 0) + 1;
    const findings: Finding[] = [];

    // 1. Node groups spanning several AZs.
    const singleAz: { ng: NodegroupState; az: string }[] = [];
    for (const ng of groups) {
      const azs = nodegroupAzs(ng, subnetAzs);
      if (azs.length === 1) singleAz.push({ ng, az: azs[0]! });
      if (azs.length < 2) continue;
      findings.push({
        id: `${MULTI_AZ_EBS}:${cluster}/${ng.name}`, check: MULTI_AZ_EBS, severity: 'medium',
        resource: { type: 'nodegroup', id: `${cluster}/${ng.name}` },
        title: `Node group ${ng.name} spans ${azs.length} AZs (${azs.join(', ')}) in cluster ${cluster}, which has ${volumes.length} EBS volume(s)`,
        evidence: { nodegroup: ng.name, availabilityZones: azs, subnets: ng.subnets, ebsVolumesByAz: volumesByAz },
        fixHint: `Replace ${ng.name} by one node group per AZ (same instance types, labels and taints) and run cluster-autoscaler with --balance-similar-node-groups, so a pod bound to a zonal EBS volume gets a node in its AZ.`,
      });
    }

    // 2. Per-AZ siblings (same name but for the AZ) that the autoscaler would not treat as similar.
    const families = new Map<string, { ng: NodegroupState; az: string }[]>();
    for (const g of singleAz) {
      const base = siblingBase(g.ng.name, g.az);
      if (base === g.ng.name) continue;
      families.set(base, [...(families.get(base) ?? []), g]);
    }
    for (const [base, members] of families) {
      if (new Set(members.map((m) => m.az)).size < 2) continue;
      const [first, ...rest] = members;
      const diffs = rest.map((m) => ({ nodegroup: m.ng.name, differsFrom: first!.ng.name, in: differences(first!.ng, m.ng) })).filter((d) => d.in.length > 0);
      if (diffs.length === 0) continue;
      findings.push({
        id: `${MULTI_AZ_EBS}:${cluster}:siblings:${base}`, check: MULTI_AZ_EBS, severity: 'medium',
        resource: { type: 'cluster', id: cluster, arn: snapshot.cluster.arn },
        title: `Per-AZ node groups ${members.map((m) => m.ng.name).join(', ')} of cluster ${cluster} are not alike, so --balance-similar-node-groups will not balance them`,
        evidence: {
          family: base,
          members: members.map((m) => ({ nodegroup: m.ng.name, az: m.az, instanceTypes: m.ng.instanceTypes, labels: m.ng.labels, taints: m.ng.taints, capacityType: m.ng.capacityType })),
          differences: diffs,
        },
        fixHint: 'Give the per-AZ node groups the same instance types, capacity type, labels (other than the zone) and taints; cluster-autoscaler balances only node groups it sees as similar.',
      });
    }
    return { findings, actions: [] };
  },
};
