import type { ResourceRef, Severity } from '../types/index.ts';
import { esc, truncate } from './blocks.ts';

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const SEVERITY_MARK: Record<Severity, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '🔵', info: '⚪' };

export function severityLabel(s: Severity): string {
  return `${SEVERITY_MARK[s]} ${s}`;
}

/** `before`/`after` of an action are plain data (rule lists, tag maps): shown as `key: value; …` in one line. */
export function describeState(value: unknown, max = 400): string {
  const walk = (v: unknown): string => {
    if (v === null || v === undefined) return '—';
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) return v.length === 0 ? '(none)' : v.map(walk).join(', ');
    if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${walk(x)}`).join('; ');
    return JSON.stringify(v);
  };
  return truncate(walk(value), max);
}

/** Inline code in mrkdwn; backticks inside would end it early. */
export function code(text: string): string {
  return `\`${esc(text.replace(/`/g, "'"))}\``;
}

export function link(url: string | undefined, text: string): string {
  return url ? `<${url}|${esc(text).replace(/\|/g, '¦')}>` : esc(text);
}

function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return `https://${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `https://${region}.console.amazonaws-us-gov.com`;
  return `https://${region}.console.aws.amazon.com`;
}

/** The AWS console page of a resource, so the reader is one click from what changed. */
export function consoleUrl(resource: ResourceRef, region: string, cluster?: string): string | undefined {
  const host = consoleHost(region);
  const id = encodeURIComponent(resource.id);
  switch (resource.type) {
    case 'cluster': return `${host}/eks/home?region=${region}#/clusters/${id}`;
    case 'nodegroup': return cluster ? `${host}/eks/home?region=${region}#/clusters/${encodeURIComponent(cluster)}/nodegroups/${id}` : undefined;
    case 'security-group': return `${host}/ec2/home?region=${region}#SecurityGroup:groupId=${id}`;
    case 'security-group-rule': return `${host}/ec2/home?region=${region}#SecurityGroups:search=${id}`;
    case 'auto-scaling-group': return `${host}/ec2/home?region=${region}#AutoScalingGroupDetails:id=${id}`;
    case 'load-balancer': return `${host}/ec2/home?region=${region}#LoadBalancers:search=${encodeURIComponent(resource.id.split('/').at(-2) ?? resource.id)}`;
    case 'iam-role': return `https://console.aws.amazon.com/iam/home#/roles/details/${id}`;
    default: return undefined;
  }
}

export function clusterUrl(cluster: string, region: string): string {
  return consoleUrl({ type: 'cluster', id: cluster }, region)!;
}
