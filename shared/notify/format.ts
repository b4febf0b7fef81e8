import type { ResourceRef, Severity } from '../types/index.ts';
import { esc, truncate } from './blocks.ts';

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const SEVERITY_MARK: Record<Severity, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '🔵', info: '⚪' };

export function severityLabel(s: Severity): string {
  return `${SEVERITY_MARK[s]} ${s}`;
}

/** Fields that name an item of a list well enough on their own (a rule, a tag…), in preference order. */
const LABEL_KEYS = ['rule', 'summary', 'name', 'key', 'id', 'ruleId'];
const LIST_ITEMS = 5;

/**
 * `before`/`after` of an action are plain data (rule lists, tag maps): shown as `key: value; …` in one
 * line; a list of records shows each by its label (`rule`, `name`…) and at most 5, then "(+N more)".
 */
export function describeState(value: unknown, max = 400): string {
  const walk = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return '—';
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) {
      if (v.length === 0) return '(none)';
      const shown = v.slice(0, LIST_ITEMS).map((x) => (depth > 0 ? label(x) ?? walk(x, depth + 1) : walk(x, depth + 1)));
      return `${shown.join(', ')}${v.length > LIST_ITEMS ? ` (+${v.length - LIST_ITEMS} more)` : ''}`;
    }
    if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${walk(x, depth + 1)}`).join('; ');
    return JSON.stringify(v);
  };
  const label = (x: unknown): string | undefined => {
    if (!x || typeof x !== 'object' || Array.isArray(x)) return undefined;
    const o = x as Record<string, unknown>;
    const key = LABEL_KEYS.find((k) => typeof o[k] === 'string');
    return key ? String(o[key]) : undefined;
  };
  return truncate(walk(value, 0), max);
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
