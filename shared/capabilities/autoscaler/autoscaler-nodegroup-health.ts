import type { ClusterSnapshot, Finding } from '../../types/index.ts';

/** EKS's health issue code when a managed node group's ASG was deleted (DescribeNodegroup `health.issues[].code`). */
export const ASG_NOT_FOUND = 'AutoScalingGroupNotFound';

/**
 * A managed node group whose ASG is gone, or that EKS reports unhealthy, is a finding at once: nothing will
 * bring the ASG back by waiting, and CA cannot scale a group that has none. Gone = EKS says so (health issue
 * `AutoScalingGroupNotFound`), or the group is `DEGRADED` and an ASG it lists does not exist
 * (`snapshot.autoScalingGroups` holds every ASG a node group lists: the loader reads missing ones by name).
 * An `ACTIVE` group whose ASG is not there is EKS not having looked yet: reported once EKS flags it.
 * Health issue codes: https://docs.aws.amazon.com/eks/latest/APIReference/API_Issue.html
 */
export function nodegroupHealthFindings(snapshot: ClusterSnapshot, check: string): Finding[] {
  const present = new Set((snapshot.autoScalingGroups ?? []).map((g) => g.name));
  const findings: Finding[] = [];
  for (const ng of snapshot.nodegroups ?? []) {
    const resource = { type: 'nodegroup' as const, id: ng.name };
    const issues = ng.healthIssues ?? [];
    const gone = ng.status === 'DEGRADED' ? ng.autoScalingGroupNames.filter((n) => !present.has(n)) : [];
    const reported = issues.find((i) => i.code === ASG_NOT_FOUND);
    if (gone.length > 0 || reported) {
      const names = [...new Set([...gone, ...(reported?.resourceIds ?? [])])];
      findings.push({
        id: `${check}:${ng.name}:asg-not-found`, check, severity: 'high', resource,
        title: `Managed node group ${ng.name} (${ng.status ?? 'status unknown'}) has lost its Auto Scaling group${names.length ? ` ${names.join(', ')}` : ''}: it cannot run or scale nodes`,
        evidence: { nodegroup: ng.name, status: ng.status, autoScalingGroups: ng.autoScalingGroupNames, missing: names, healthIssues: issues },
        fixHint: `EKS does not recreate a deleted ASG: delete and recreate node group ${ng.name} (https://docs.aws.amazon.com/eks/latest/userguide/troubleshooting.html).`,
      });
    }
    for (const issue of issues.filter((i) => i.code !== ASG_NOT_FOUND)) {
      findings.push({
        id: `${check}:${ng.name}:health:${issue.code}`, check, severity: 'medium', resource,
        title: `EKS reports managed node group ${ng.name} unhealthy: ${issue.code}${issue.message ? ` (${issue.message})` : ''}`,
        evidence: { nodegroup: ng.name, status: ng.status, issue },
        fixHint: `See the node group's Health tab in the EKS console and https://docs.aws.amazon.com/eks/latest/APIReference/API_Issue.html for ${issue.code}.`,
      });
    }
  }
  return findings;
}
