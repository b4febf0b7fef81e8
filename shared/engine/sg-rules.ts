/** Pure helpers over security-group rules: matching, coverage, CIDR arithmetic. No SDK here. */
import type { SgRule } from '../types/index.ts';

/**
 * Descriptions the Kubernetes AWS cloud provider writes for NLB Services (kubernetes/cloud-provider-aws
 * `pkg/providers/v1/aws.go`: `NLBClientRuleDescription`, `NLBHealthCheckRuleDescription`,
 * `NLBMtuDiscoveryRuleDescription`; `aws_loadbalancer.go` `updateInstanceSecurityGroupsForNLB`): client and
 * health as `…=<lbName>`, MTU bare or, in older versions, `mtu=<lbName>` (docs/nlb-headroom.md).
 */
export const NLB_RULE_DESCRIPTION = /^kubernetes\.io\/rule\/nlb\/(client|health|mtu)(=.*)?$/;

export function isKubernetesNlbRule(rule: SgRule): boolean {
  return rule.description !== undefined && NLB_RULE_DESCRIPTION.test(rule.description);
}

export function isAllTraffic(rule: SgRule): boolean {
  return rule.protocol === '-1';
}

/** Does `rule` let TCP `port` in from `cidr`? A wider CIDR or all-traffic counts. */
export function coversTcpPortFrom(rule: SgRule, port: number, cidr: string): boolean {
  if (!rule.cidrIpv4 || !ipv4CidrContains(rule.cidrIpv4, cidr)) return false;
  if (isAllTraffic(rule)) return true;
  return rule.protocol === 'tcp' && (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65535);
}

/** True when `outer` contains `inner` (both IPv4 CIDRs). Malformed input never contains anything. */
export function ipv4CidrContains(outer: string, inner: string): boolean {
  const a = parseIpv4Cidr(outer);
  const b = parseIpv4Cidr(inner);
  if (!a || !b || a.bits > b.bits) return false;
  const mask = a.bits === 0 ? 0 : (~0 << (32 - a.bits)) >>> 0;
  return ((a.address & mask) >>> 0) === ((b.address & mask) >>> 0);
}

function parseIpv4Cidr(cidr: string): { address: number; bits: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  return { address: ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0, bits };
}

export const WORLD_CIDRS = new Set(['0.0.0.0/0', '::/0']);

export function isWorldOpen(rule: SgRule): boolean {
  return WORLD_CIDRS.has(rule.cidrIpv4 ?? '') || WORLD_CIDRS.has(rule.cidrIpv6 ?? '');
}

/** A short, human form: `tcp 443 from 10.0.0.0/16`, `all traffic from sg-123`. */
export function describeRule(rule: SgRule): string {
  const what = isAllTraffic(rule)
    ? 'all traffic'
    : rule.fromPort === rule.toPort ? `${rule.protocol} ${rule.fromPort}` : `${rule.protocol} ${rule.fromPort}-${rule.toPort}`;
  const peer = rule.cidrIpv4 ?? rule.cidrIpv6 ?? rule.referencedGroupId ?? rule.prefixListId ?? '?';
  return `${what} ${rule.direction === 'ingress' ? 'from' : 'to'} ${peer}`;
}

/** Same source, ports, protocol, direction and description (rule ids aside). */
export function sameRule(a: SgRule, b: SgRule): boolean {
  return a.direction === b.direction && a.protocol === b.protocol &&
    (a.fromPort ?? null) === (b.fromPort ?? null) && (a.toPort ?? null) === (b.toPort ?? null) &&
    (a.cidrIpv4 ?? null) === (b.cidrIpv4 ?? null) && (a.cidrIpv6 ?? null) === (b.cidrIpv6 ?? null) &&
    (a.referencedGroupId ?? null) === (b.referencedGroupId ?? null) && (a.prefixListId ?? null) === (b.prefixListId ?? null) &&
    (a.description ?? null) === (b.description ?? null);
}
