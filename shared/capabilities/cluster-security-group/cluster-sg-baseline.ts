import type { Action, Check, CheckOutcome, ClusterSnapshot, Finding, GuardrailsConfig, SgRule } from '../../types/index.ts';
import { coversTcpPortFrom, describeRule, isAllTraffic, isKubernetesNlbRule, isWorldOpen } from '../../engine/sg-rules.ts';

import { CLUSTER_SG_BASELINE } from './names.ts';

/** SG rule descriptions allow a limited character set; this one says who added the rule and why. */
export const ADDED_BY = 'eks-guardrails: cluster SG baseline';

/**
 * The EKS cluster security group keeps its baseline: inbound all traffic from itself (nodes and the
 * control plane talk over it), optionally HTTPS from the VPC, and all-traffic egress. It only ever adds.
 */
export const clusterSgBaseline: Check = {
  name: CLUSTER_SG_BASELINE,
  description: 'The cluster security group allows all traffic from itself (and HTTPS from the VPC when configured).',
  defaultMode: 'enforce',
  facets: ['clusterSecurityGroup', 'vpc'],
  run(snapshot: ClusterSnapshot, config: GuardrailsConfig): CheckOutcome {
    const sg = snapshot.clusterSecurityGroup;
    const findings: Finding[] = [];
    const actions: Action[] = [];
    if (!sg) {
      // DescribeCluster still names the group but EC2 no longer has it: the control plane and nodes lose the
      // rules that let them talk (https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html).
      const groupId = snapshot.cluster.clusterSecurityGroupId;
      if (groupId) {
        findings.push({
          id: `${CLUSTER_SG_BASELINE}:${groupId}:missing`, check: CLUSTER_SG_BASELINE, severity: 'high',
          resource: { type: 'security-group', id: groupId },
          title: `Cluster security group ${groupId} of cluster ${snapshot.cluster.name} no longer exists`,
          evidence: { clusterSecurityGroupId: groupId, cluster: snapshot.cluster.name },
          fixHint: `EKS created ${groupId} with the cluster and still names it; eks-guardrails cannot recreate it. Check CloudTrail for the DeleteSecurityGroup call and contact AWS Support or recreate the cluster.`,
        });
      }
      return { findings, actions };
    }
    const resource = { type: 'security-group' as const, id: sg.groupId };
    const ingress = sg.rules.filter((r) => r.direction === 'ingress');
    const egress = sg.rules.filter((r) => r.direction === 'egress');

    // 1. Inbound all traffic from itself.
    const hasSelf = ingress.some((r) => isAllTraffic(r) && r.referencedGroupId === sg.groupId);
    if (!hasSelf) {
      const id = `${CLUSTER_SG_BASELINE}:${sg.groupId}:self-ingress`;
      const rule: SgRule = { direction: 'ingress', protocol: '-1', referencedGroupId: sg.groupId, description: `${ADDED_BY} (all traffic from itself)` };
      findings.push({
        id, check: CLUSTER_SG_BASELINE, severity: 'high', resource,
        title: `Cluster security group ${sg.groupId} lost its inbound all-traffic rule from itself`,
        evidence: { groupId: sg.groupId, ingress: ingress.map(describeRule) },
        fixHint: `Add inbound all traffic from ${sg.groupId} to ${sg.groupId}; without it new nodes cannot join the cluster.`,
      });
      actions.push({
        kind: 'AuthorizeRules', check: CLUSTER_SG_BASELINE, findingId: id, groupId: sg.groupId, direction: 'ingress', rules: [rule],
        summary: `Add inbound all traffic from ${sg.groupId} (itself) to ${sg.groupId}`,
        before: { selfRule: 'absent' }, after: { selfRule: describeRule(rule) },
      });
    }

    // 2. HTTPS from each VPC CIDR, when configured: in-VPC access to the API server's private endpoint needs 443
    // into the cluster SG (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html).
    if (config.clusterSecurityGroup.httpsFromVpc && snapshot.vpc) {
      const missing = snapshot.vpc.cidrBlocks.filter((cidr) => !ingress.some((r) => coversTcpPortFrom(r, 443, cidr)));
      if (missing.length > 0) {
        const id = `${CLUSTER_SG_BASELINE}:${sg.groupId}:https-from-vpc`;
        const rules: SgRule[] = missing.map((cidr) => ({
          direction: 'ingress', protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: cidr, description: `${ADDED_BY} (HTTPS from VPC)`,
        }));
        findings.push({
          id, check: CLUSTER_SG_BASELINE, severity: 'medium', resource,
          title: `Cluster security group ${sg.groupId} does not allow HTTPS from VPC CIDR ${missing.join(', ')}`,
          evidence: { vpcId: snapshot.vpc.vpcId, vpcCidrs: snapshot.vpc.cidrBlocks, missing },
          fixHint: `Add inbound TCP 443 from ${missing.join(', ')} so nodes in the VPC reach the API server.`,
        });
        actions.push({
          kind: 'AuthorizeRules', check: CLUSTER_SG_BASELINE, findingId: id, groupId: sg.groupId, direction: 'ingress', rules,
          summary: `Add inbound TCP 443 from ${missing.join(', ')} to ${sg.groupId}`,
          before: { httpsFromVpc: 'absent', cidrs: missing }, after: { httpsFromVpc: rules.map(describeRule) },
        });
      }
    }

    // 3. World-open inbound rules that Kubernetes did not write: a security finding, never removed here.
    for (const rule of ingress.filter((r) => isWorldOpen(r) && !isKubernetesNlbRule(r))) {
      const peer = rule.cidrIpv4 ?? rule.cidrIpv6;
      findings.push({
        id: `${CLUSTER_SG_BASELINE}:${sg.groupId}:world-open:${rule.ruleId ?? `${rule.protocol}:${rule.fromPort ?? 'all'}-${rule.toPort ?? 'all'}:${peer}`}`,
        check: CLUSTER_SG_BASELINE, severity: 'high', resource,
        title: `Cluster security group ${sg.groupId} allows ${describeRule(rule)}`,
        evidence: { rule },
        fixHint: 'Narrow the source to the CIDRs that need it; eks-guardrails reports but never removes this rule.',
      });
    }

    // 4. All-traffic egress (users break it: eksctl#6455). Added only when enforceEgress is configured.
    const hasEgress = egress.some((r) => isAllTraffic(r) && r.cidrIpv4 === '0.0.0.0/0');
    if (!hasEgress) {
      const id = `${CLUSTER_SG_BASELINE}:${sg.groupId}:egress`;
      findings.push({
        id, check: CLUSTER_SG_BASELINE, severity: 'medium', resource,
        title: `Cluster security group ${sg.groupId} has no all-traffic egress to 0.0.0.0/0`,
        evidence: { egress: egress.map(describeRule) },
        fixHint: config.clusterSecurityGroup.enforceEgress
          ? 'eks-guardrails restores the all-traffic egress rule.'
          : 'Restore outbound all traffic to 0.0.0.0/0, or set GUARDRAILS_ENFORCE_EGRESS=true to let eks-guardrails do it.',
      });
      if (config.clusterSecurityGroup.enforceEgress) {
        const rule: SgRule = { direction: 'egress', protocol: '-1', cidrIpv4: '0.0.0.0/0', description: `${ADDED_BY} (all egress)` };
        actions.push({
          kind: 'AuthorizeRules', check: CLUSTER_SG_BASELINE, findingId: id, groupId: sg.groupId, direction: 'egress', rules: [rule],
          summary: `Add outbound all traffic to 0.0.0.0/0 on ${sg.groupId}`,
          before: { egress: egress.map(describeRule) }, after: { egress: [...egress.map(describeRule), describeRule(rule)] },
        });
      }
    }
    return { findings, actions };
  },
};
