import type { ResultEventDetail } from '../events/result-events.ts';
import { button, context, esc, fields, section, type Block } from './blocks.ts';
import { clusterUrl, code, consoleUrl, link, severityLabel } from './format.ts';

/** Sections every result message shares: where, why, how to opt out, where to look, which event. */

const MODE_WORDS: Record<ResultEventDetail['mode'], string> = {
  enforce: 'enforce (applied)',
  'dry-run': 'dry-run (would apply)',
  report: 'report only (nothing changed)',
  exempt: 'exempt (nothing changed)',
};

export function where(d: ResultEventDetail): string {
  return `${d.cluster.name} · ${d.account} · ${d.region}`;
}

export function facts(d: ResultEventDetail): Block {
  const mode = d.mode === 'enforce' && d.outcome === 'failed' ? 'enforce (failed to apply)' : MODE_WORDS[d.mode];
  return fields([
    ['Cluster', link(clusterUrl(d.cluster.name, d.region), d.cluster.name)],
    ['Account / region', `${esc(d.account)} / ${esc(d.region)}`],
    ['Resource', `${esc(d.resource.type)} ${link(consoleUrl(d.resource, d.region, d.cluster.name), d.resource.id)}`],
    ['Severity', severityLabel(d.severity)],
    ['Check', code(d.check)],
    ['Mode', mode],
  ]);
}

/** Why: the check's verdict, and what made us look (API call, actor, time). */
export function why(d: ResultEventDetail): Block {
  const t = d.trigger;
  const trigger = t.kind === 'cloudtrail'
    ? `${t.apiCall ? code(t.apiCall) : 'an API call'}${t.actor ? ` by *${esc(t.actor)}*` : ''}${t.time ? ` at ${esc(t.time)}` : ''}${t.errorCode ? ` (failed: ${code(t.errorCode)})` : ''}`
    : t.kind === 'schedule' ? `the scheduled sweep${t.time ? ` at ${esc(t.time)}` : ''}`
    : t.kind === 'cli' ? `a run from the CLI${t.actor ? ` by *${esc(t.actor)}*` : ''}${t.time ? ` at ${esc(t.time)}` : ''}`
    : `${esc(t.kind)}${t.apiCall ? ` ${code(t.apiCall)}` : ''}${t.actor ? ` by *${esc(t.actor)}*` : ''}${t.time ? ` at ${esc(t.time)}` : ''}`;
  return section(`*Why*\n${code(d.check)} found: ${esc(d.title)}\n*Trigger:* ${trigger}`);
}

export function optOut(d: ResultEventDetail, undo?: string): Block {
  const lines = ['*Opt out or undo*', esc(d.exemption.how)];
  if (undo) lines.push(undo);
  return section(lines.join('\n'));
}

export function consoleButton(d: ResultEventDetail): Block | undefined {
  const url = consoleUrl(d.resource, d.region, d.cluster.name);
  return url ? button(`Open ${d.resource.type} in the AWS console`, url, 'open-resource') : undefined;
}

export function footer(d: ResultEventDetail, eventId: string): Block {
  return context(`eks-guardrails · finding ${code(d.findingId)} · event ${code(eventId)}`);
}
