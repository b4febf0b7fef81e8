/**
 * Which security-group rules a live load balancer needs, whatever their description says. Pure: the
 * loaders list the region's target groups, the check asks here.
 *
 * A description is a label, not ownership: cloud-provider-aws decides a rule "already exists" by
 * protocol, ports and CIDR alone (pkg/providers/v1/aws.go `ipPermissionExists`, used by
 * `addSecurityGroupIngress`), and EC2 refuses a duplicate permission whatever its description. So a new
 * Service given a NodePort a deleted NLB's rule still opens runs its traffic through that rule.
 */
import type { SgRule, TargetGroupState } from '../../types/index.ts';

/** A port a live load balancer sends traffic or health checks to, and the rule protocols that carry it. */
export interface LivePort {
  port: number;
  protocols: readonly string[];
  use: 'traffic' | 'health check';
  targetGroup: string;
  targetType?: string;
  /** Names of the load balancers that send it traffic. */
  loadBalancers: readonly string[];
}

/** `…:loadbalancer/<net|app|gwy>/<name>/<id>` → name (the ARN itself when it has another shape). */
export function loadBalancerNameOf(arn: string): string {
  return /:loadbalancer\/[^/]+\/([^/]+)\/[^/]+$/.exec(arn)?.[1] ?? arn;
}

/**
 * Rule protocols that carry a target group's traffic. TLS, HTTP and HTTPS run over TCP; GENEVE and
 * QUIC over UDP; TCP_UDP (and TCP_QUIC) over both. An unknown or missing protocol needs both.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroup.html
 */
export function trafficProtocols(protocol: string | undefined): string[] {
  switch (protocol?.toUpperCase()) {
    case 'TCP': case 'TLS': case 'HTTP': case 'HTTPS': return ['tcp'];
    case 'UDP': case 'GENEVE': case 'QUIC': return ['udp'];
    default: return ['tcp', 'udp'];
  }
}

function healthPortOf(tg: TargetGroupState): number | undefined {
  const raw = tg.healthCheckPort;
  if (raw && /^\d+$/.test(raw)) return Number(raw);
  // `traffic-port` (the default), absent, or anything unreadable: the traffic port.
  return tg.port;
}

/**
 * The ports of every target group a load balancer uses. A target group with no load balancer carries
 * no traffic (ELBv2 routes only from a load balancer's listener), and it is exactly what the provider
 * leaves behind when someone deleted the NLB before the Service (`EnsureLoadBalancerDeleted` returns
 * early, pkg/providers/v1/aws.go): it does not keep rules.
 *
 * Health checks are TCP, HTTP or HTTPS — all over TCP. The provider writes *every* client rule of a
 * Service as `udp` as soon as one of its ports is UDP (`updateInstanceSecurityGroupsForNLB`,
 * pkg/providers/v1/aws_loadbalancer.go), so a load balancer with any UDP target group needs `udp` on
 * all its traffic ports too.
 */
export function livePorts(targetGroups: readonly TargetGroupState[]): LivePort[] {
  const live = targetGroups.filter((tg) => tg.loadBalancerArns.length > 0);
  const udpLbs = new Set(live.filter((tg) => trafficProtocols(tg.protocol).includes('udp')).flatMap((tg) => tg.loadBalancerArns));
  const ports: LivePort[] = [];
  for (const tg of live) {
    const base = { targetGroup: tg.name, ...(tg.targetType ? { targetType: tg.targetType } : {}), loadBalancers: tg.loadBalancerArns.map(loadBalancerNameOf) };
    if (tg.port !== undefined) {
      const protocols = new Set(trafficProtocols(tg.protocol));
      if (tg.loadBalancerArns.some((a) => udpLbs.has(a))) protocols.add('udp');
      ports.push({ ...base, port: tg.port, protocols: [...protocols], use: 'traffic' });
    }
    const health = healthPortOf(tg);
    if (health !== undefined) ports.push({ ...base, port: health, protocols: ['tcp'], use: 'health check' });
  }
  return ports;
}

/**
 * The live port a rule opens, if any: same protocol (all-traffic opens every port), a port range that
 * includes it. The CIDR is not compared: client CIDRs are the Service's `loadBalancerSourceRanges`,
 * which ELBv2 does not show, so any rule on a live port may be the one its clients come through.
 * ICMP rules carry no ports (the MTU rules follow their client rules instead).
 */
export function liveNeedOf(rule: SgRule, ports: readonly LivePort[]): LivePort | undefined {
  const protocol = rule.protocol;
  if (protocol === '-1') return ports[0];
  if (protocol !== 'tcp' && protocol !== 'udp') return undefined;
  const from = rule.fromPort ?? 0;
  const to = rule.toPort ?? 65535;
  return ports.find((p) => p.port >= from && p.port <= to && p.protocols.includes(protocol));
}

/** "NodePort 31005 now serves live load balancer a1b2… (target group k8s-…, traffic)" */
export function describeLiveNeed(p: LivePort): string {
  const what = p.targetType === 'instance' ? 'NodePort' : 'port';
  const lbs = p.loadBalancers.slice(0, 3).join(', ') + (p.loadBalancers.length > 3 ? ` and ${p.loadBalancers.length - 3} more` : '');
  return `${what} ${p.port} now serves live load balancer ${lbs} (${p.use} port of target group ${p.targetGroup})`;
}
