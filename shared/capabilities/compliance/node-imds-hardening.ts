import type {
  AutoScalingGroupState, Check, CheckOutcome, ClusterSnapshot, Finding, GuardrailsConfig, ImdsSettings, LaunchSettings,
  LaunchTemplateRef, NodeLaunchFacet, NodegroupState, Severity,
} from '../../types/index.ts';
import { EXTRA_NODE_LAUNCH } from '../../types/index.ts';

import { NODE_IMDS_HARDENING } from './names.ts';

/** The cache and facet key of a launch template version; an ASG naming no version launches `$Default`. */
export function launchTemplateKey(ref: LaunchTemplateRef): string {
  return `${ref.id ?? `name:${ref.name}`}@${ref.version ?? '$Default'}`;
}

/** One place a group of nodes gets its instance settings from. */
export type LaunchSource =
  | { kind: 'launch-template'; ref: LaunchTemplateRef; key: string }
  | { kind: 'launch-configuration'; name: string };

/** A set of nodes and where they start from: an ASG of the cluster, or a managed node group whose ASG is not visible. */
export interface NodeLaunchOwner {
  resource: { type: 'auto-scaling-group' | 'nodegroup'; id: string };
  /** The managed node group, when it is one (its own launch template is what a person edits). */
  nodegroup?: NodegroupState;
  sources: LaunchSource[];
}

export function asgSources(asg: AutoScalingGroupState): LaunchSource[] {
  const refs = [...(asg.launchTemplate ? [asg.launchTemplate] : []), ...(asg.mixedInstancesLaunchTemplates ?? [])];
  const byKey = new Map(refs.map((ref) => [launchTemplateKey(ref), ref]));
  return [
    ...[...byKey].map(([key, ref]) => ({ kind: 'launch-template' as const, ref, key })),
    ...(asg.launchConfigurationName ? [{ kind: 'launch-configuration' as const, name: asg.launchConfigurationName }] : []),
  ];
}

/** Every ASG of the cluster, plus each managed node group none of whose ASGs is visible (read through its own template). */
export function nodeLaunchOwners(snapshot: ClusterSnapshot): NodeLaunchOwner[] {
  const asgs = snapshot.autoScalingGroups ?? [];
  const groups = snapshot.nodegroups ?? [];
  const owners: NodeLaunchOwner[] = asgs.map((asg) => ({
    resource: { type: 'auto-scaling-group', id: asg.name },
    nodegroup: groups.find((n) => n.autoScalingGroupNames.includes(asg.name)),
    sources: asgSources(asg),
  }));
  for (const ng of groups) {
    if (ng.autoScalingGroupNames.some((n) => asgs.some((a) => a.name === n))) continue;
    const ref = ng.launchTemplate;
    owners.push({
      resource: { type: 'nodegroup', id: `${snapshot.cluster.name}/${ng.name}` },
      nodegroup: ng,
      sources: ref ? [{ kind: 'launch-template', ref, key: launchTemplateKey(ref) }] : [],
    });
  }
  return owners;
}

interface Problem {
  severity: Severity;
  /** Short, for the title. */
  what: string;
}

/**
 * What lets a pod take the node role's credentials. IMDSv1 (`HttpTokens=optional`) answers any request;
 * IMDSv2's token PUT is answered with an IP TTL of the hop limit, so a limit of 1 stops it at the node and a
 * pod in its own network namespace (one hop further) gets none
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-options.html,
 * https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html).
 */
export function imdsProblems(imds: ImdsSettings, hopLimitMax: number): Problem[] {
  if (imds.httpEndpoint === 'disabled') return [];
  const out: Problem[] = [];
  if (imds.httpTokens === 'optional') out.push({ severity: 'high', what: 'allows IMDSv1 (HttpTokens=optional)' });
  // Not set: the AMI (ImdsSupport v2.0) or the account's IMDS defaults decide, which the template does not show.
  else if (imds.httpTokens === undefined) out.push({ severity: 'medium', what: 'does not set HttpTokens=required (the AMI or account default decides)' });
  const hops = imds.httpPutResponseHopLimit;
  if (hops !== undefined && hops > hopLimitMax) out.push({ severity: 'high', what: `has HttpPutResponseHopLimit ${hops} (pods can get a token; at most ${hopLimitMax} allowed)` });
  // An AMI marked ImdsSupport v2.0 launches with a hop limit of 2 when the template sets none.
  else if (hops === undefined && hopLimitMax < 2) out.push({ severity: 'medium', what: `does not set HttpPutResponseHopLimit (the default may be 2; at most ${hopLimitMax} allowed)` });
  return out;
}

const RANK: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
const worst = (a: Severity, b: Severity): Severity => (RANK.indexOf(a) >= RANK.indexOf(b) ? a : b);

function describeSource(s: LaunchSource): string {
  return s.kind === 'launch-configuration' ? `launch configuration ${s.name}` : `launch template ${s.ref.name ?? s.ref.id} (version ${s.ref.version ?? '$Default'})`;
}

function settingsOf(s: LaunchSource, facet: NodeLaunchFacet): LaunchSettings | undefined {
  return s.kind === 'launch-configuration' ? facet.launchConfigurations[s.name] : facet.templates[s.key];
}

function fixFor(owner: NodeLaunchOwner, sources: LaunchSource[], hopLimitMax: number): string {
  const settings = `HttpTokens=required, HttpPutResponseHopLimit=${hopLimitMax === 2 ? '1 (2 only for pods that must reach IMDS)' : '1'}`;
  const lc = sources.some((s) => s.kind === 'launch-configuration')
    ? ' Launch configurations are deprecated: move the group to a launch template with these metadata options instead of a new configuration.' : '';
  const ng = owner.nodegroup;
  if (ng) {
    const own = ng.launchTemplate;
    const how = own
      ? `create a new version of launch template ${own.name ?? own.id} with ${settings} and update node group ${ng.name} to it (UpdateNodegroupVersion with launchTemplate); its nodes are replaced`
      : `node group ${ng.name} has no launch template of its own and EKS's generated one must not be edited: create a node group with your own launch template (${settings}) and move the workloads`;
    return `${how[0]!.toUpperCase()}${how.slice(1)}. Pods that need AWS credentials should use EKS Pod Identity or IRSA, not the node role.${lc}`;
  }
  return `Set the instance metadata options of the group's launch template to ${settings} (a new version, then an instance refresh), so only the node itself reaches its role's credentials; pods use EKS Pod Identity or IRSA.${lc}`;
}

/**
 * Nodes must require IMDSv2 with a hop limit of 1 (2 only when allowed), or a pod can take the node role's
 * credentials — the EKS best practice kube-bench leaves manual. Read from the launch template (or launch
 * configuration) every node group starts from: managed ones through their ASG's template (EKS's copy,
 * what really launches) or, when the ASG is not visible, the node group's own template.
 */
export const nodeImdsHardening: Check = {
  name: NODE_IMDS_HARDENING,
  description: 'Every node group requires IMDSv2 (HttpTokens=required) with HttpPutResponseHopLimit 1 (2 when allowed), so pods cannot take the node role\'s credentials.',
  defaultMode: 'report',
  facets: ['nodegroups', 'autoScalingGroups', 'nodeLaunchSettings'],
  triggers: ['sweep'],
  run(snapshot: ClusterSnapshot, config: GuardrailsConfig): CheckOutcome {
    const facet = (snapshot.extra[EXTRA_NODE_LAUNCH] as NodeLaunchFacet | undefined) ?? { templates: {}, launchConfigurations: {} };
    const hopLimitMax = config.nodeImds?.hopLimitMax ?? 1;
    const cluster = snapshot.cluster.name;
    const findings: Finding[] = [];
    for (const owner of nodeLaunchOwners(snapshot)) {
      const id = `${NODE_IMDS_HARDENING}:${owner.resource.id}`;
      const name = owner.resource.type === 'nodegroup' ? `node group ${owner.nodegroup!.name}` : `ASG ${owner.resource.id}`;
      if (owner.sources.length === 0) {
        findings.push({
          id, check: NODE_IMDS_HARDENING, severity: 'info', resource: owner.resource,
          title: `Could not check the instance metadata settings of ${name} in cluster ${cluster}: ${owner.resource.type === 'nodegroup' ? 'its Auto Scaling group (with EKS\'s launch template) is not visible and it has no launch template of its own' : 'it names no launch template or configuration'}`,
          evidence: { nodegroup: owner.nodegroup?.name },
          fixHint: 'Nothing to fix yet: the next sweep checks it once its launch template can be read.',
        });
        continue;
      }
      const checked: Record<string, unknown>[] = [];
      const bad: { source: LaunchSource; problems: Problem[] }[] = [];
      const unreadable: { source: LaunchSource; errorCode: string }[] = [];
      for (const source of owner.sources) {
        const s = settingsOf(source, facet);
        if (!s || !s.ok) {
          unreadable.push({ source, errorCode: s && !s.ok ? s.errorCode : 'not read' });
          checked.push({ source: describeSource(source), error: s && !s.ok ? s.errorCode : 'not read' });
          continue;
        }
        const problems = imdsProblems(s.imds, hopLimitMax);
        checked.push({ source: describeSource(source), ...(s.versionNumber !== undefined ? { versionNumber: s.versionNumber } : {}), metadataOptions: s.imds, problems: problems.map((p) => p.what) });
        if (problems.length > 0) bad.push({ source, problems });
      }
      if (bad.length > 0) {
        const severity = bad.flatMap((b) => b.problems).map((p) => p.severity).reduce(worst, 'info');
        findings.push({
          id, check: NODE_IMDS_HARDENING, severity, resource: owner.resource,
          title: `Pods on ${name} (cluster ${cluster}) may take the node role's credentials: ${bad.map((b) => `${describeSource(b.source)} ${b.problems.map((p) => p.what).join(' and ')}`).join('; ')}`,
          evidence: { nodegroup: owner.nodegroup?.name, hopLimitMax, sources: checked },
          fixHint: fixFor(owner, bad.map((b) => b.source), hopLimitMax),
        });
      } else if (unreadable.length > 0) {
        findings.push({
          id, check: NODE_IMDS_HARDENING, severity: 'info', resource: owner.resource,
          title: `Could not check the instance metadata settings of ${name} in cluster ${cluster}: ${unreadable.map((u) => `${describeSource(u.source)} (${u.errorCode})`).join(', ')}`,
          evidence: { nodegroup: owner.nodegroup?.name, sources: checked },
          fixHint: 'A deleted launch template or configuration means the group cannot launch nodes: point it at an existing one. A refused read needs ec2:DescribeLaunchTemplateVersions and autoscaling:DescribeLaunchConfigurations.',
        });
      }
    }
    return { findings, actions: [] };
  },
};
