import type { SweepCompletedDetail } from '../events/sweep-events.ts';
import type { Severity } from '../types/index.ts';
import { button, context, esc, fields, header, listSection, message, section, type SlackMessage } from './blocks.ts';
import { clusterUrl, code, consoleUrl, link, SEVERITY_ORDER, severityLabel } from './format.ts';

const TOP_FINDINGS = 10;

/** "Sweep Completed": one digest — counts per severity and check, the worst findings, the report. */
export function renderSweep(d: SweepCompletedDetail, eventId: string): SlackMessage {
  const open = total(d.counts.bySeverity);
  const dryRun = d.mode === 'dry-run' ? ' (dry-run)' : '';
  const headline = `📋 Sweep finished${dryRun}: ${open} open finding${open === 1 ? '' : 's'} in ${d.clusters} cluster${d.clusters === 1 ? '' : 's'}`;

  const bySeverity = SEVERITY_ORDER.filter((s) => (d.counts.bySeverity[s] ?? 0) > 0)
    .map((s) => `${severityLabel(s)} *${d.counts.bySeverity[s]}*`).join('  ·  ') || '✅ nothing open';

  const byCheck = Object.entries(d.counts.byCheck)
    .map(([check, counts]) => ({ check, counts, n: total(counts) }))
    .filter((c) => c.n > 0)
    .sort((a, b) => b.n - a.n || a.check.localeCompare(b.check))
    .map(({ check, counts, n }) => `• ${code(check)} — ${n}: ${SEVERITY_ORDER.filter((s) => counts[s]).map((s) => `${s} ${counts[s]}`).join(', ')}`);

  const top = [...d.topFindings]
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity))
    .map((f) => `• ${severityLabel(f.severity)} ${link(consoleUrl(f.resource, f.region, f.cluster), f.title)} — ${link(clusterUrl(f.cluster, f.region), f.cluster)} (${esc(f.account)} / ${esc(f.region)})`);

  const reportIsLink = d.reportUrl?.startsWith('https://');
  return message(headline, [
    header(headline),
    fields([
      ['Mode', d.mode === 'dry-run' ? 'dry-run (nothing changed)' : 'enforce'],
      ['Clusters', String(d.clusters)],
      ['Accounts', esc(d.accounts.join(', ')) || '—'],
      ['Regions', esc(d.regions.join(', ')) || '—'],
      ['Fixed / planned / failed', `${d.counts.fixed} / ${d.counts.planned} / ${d.counts.failed}`],
      ['Duration', duration(d.startedAt, d.finishedAt)],
    ]),
    section(`*Open findings by severity*\n${bySeverity}`),
    byCheck.length > 0 ? listSection('*By check*', byCheck) : undefined,
    top.length > 0 ? listSection('*Top findings*', top, TOP_FINDINGS) : undefined,
    d.reportUrl && reportIsLink ? button('Open the full report', d.reportUrl, 'open-report') : undefined,
    d.reportUrl && !reportIsLink ? section(`*Full report:* ${code(d.reportUrl)}`) : undefined,
    context(`eks-guardrails · sweep ${code(d.sweepId)} · event ${code(eventId)}`),
  ]);
}

function total(counts: Partial<Record<Severity, number>>): number {
  return Object.values(counts).reduce<number>((n, c) => n + (c ?? 0), 0);
}

function duration(start: string, end: string): string {
  const ms = Date.parse(end) - Date.parse(start);
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
