import type { DigestFinding, SweepChanges, SweepCompletedDetail } from '../events/sweep-events.ts';
import type { Severity } from '../types/index.ts';
import { button, context, esc, fields, header, listSection, message, section, type SlackMessage } from './blocks.ts';
import { clusterUrl, code, consoleUrl, link, SEVERITY_ORDER, severityLabel } from './format.ts';

const TOP_FINDINGS = 10;

/** "Sweep Completed": one digest — counts per severity and check, the worst findings, the report. */
export function renderSweep(d: SweepCompletedDetail, eventId: string): SlackMessage {
  const open = total(d.counts.bySeverity);
  const dryRun = d.mode === 'dry-run' ? ' (dry-run)' : '';
  const compared = d.changes?.baseline.status === 'compared' ? d.changes : undefined;
  const headline = compared
    ? `📋 Sweep finished${dryRun}: ${compared.new} new, ${compared.resolved} resolved · ${open} open in ${d.clusters} cluster${d.clusters === 1 ? '' : 's'}`
    : `📋 Sweep finished${dryRun}: ${open} open finding${open === 1 ? '' : 's'} in ${d.clusters} cluster${d.clusters === 1 ? '' : 's'}`;

  const bySeverity = SEVERITY_ORDER.filter((s) => (d.counts.bySeverity[s] ?? 0) > 0)
    .map((s) => `${severityLabel(s)} *${d.counts.bySeverity[s]}*`).join('  ·  ') || '✅ nothing open';

  const byCheck = Object.entries(d.counts.byCheck)
    .map(([check, counts]) => ({ check, counts, n: total(counts) }))
    .filter((c) => c.n > 0)
    .sort((a, b) => b.n - a.n || a.check.localeCompare(b.check))
    .map(({ check, counts, n }) => `• ${code(check)} — ${n}: ${SEVERITY_ORDER.filter((s) => counts[s]).map((s) => `${s} ${counts[s]}`).join(', ')}`);

  const top = [...d.topFindings]
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity))
    .map(findingLine);

  // "…and N more" counts every open finding left out, not only the rest of the top ten.
  const openTotal = Object.values(d.counts.bySeverity).reduce<number>((sum, n) => sum + (n ?? 0), 0);
  const reportIsLink = d.reportUrl?.startsWith('https://');
  return message(headline, [
    header(headline),
    ...changeBlocks(d.changes),
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
    top.length > 0 ? listSection('*Top findings*', top, TOP_FINDINGS, openTotal) : undefined,
    d.reportUrl && reportIsLink ? button('Open the full report', d.reportUrl, 'open-report') : undefined,
    d.reportUrl && !reportIsLink ? section(`*Full report:* ${code(d.reportUrl)}`) : undefined,
    d.changes?.baseline.status === 'off' ? context(`Not compared with a previous sweep: ${esc(d.changes.baseline.reason ?? 'no baseline')}`) : undefined,
    context(`eks-guardrails · sweep ${code(d.sweepId)} · event ${code(eventId)}`),
  ]);
}

function findingLine(f: DigestFinding): string {
  return `• ${severityLabel(f.severity)} ${link(consoleUrl(f.resource, f.region, f.cluster), f.title)} — ${link(clusterUrl(f.cluster, f.region), f.cluster)} (${esc(f.account)} / ${esc(f.region)})`;
}

const RESOLUTION = { fixed: 'fixed by this sweep', exempt: 'exempt now', gone: 'no longer found' } as const;

/** The digest leads with what changed since the last sweep: new findings and resolved ones, by name. */
function changeBlocks(c: SweepChanges | undefined): (ReturnType<typeof section> | undefined)[] {
  if (!c || c.baseline.status === 'off') return [];
  if (c.baseline.status !== 'compared') {
    return [section(`*No baseline* — ${esc(c.baseline.reason ?? c.baseline.status)}: all ${c.new} open finding${c.new === 1 ? '' : 's'} count as new`)];
  }
  const since = `*Since the last sweep*${c.baseline.sweepId ? ` (${code(c.baseline.sweepId)})` : ''}\n🆕 new *${c.new}*  ·  ✅ resolved *${c.resolved}*  ·  still open *${c.stillOpen}*`;
  return [
    section(since),
    c.newFindings.length > 0 ? listSection('*New since last sweep*', [...c.newFindings].sort(bySeverity).map(findingLine), TOP_FINDINGS) : undefined,
    c.resolvedFindings.length > 0
      ? listSection('*Resolved*', [...c.resolvedFindings].sort(bySeverity).map((f) => `• ✅ ${esc(f.title)} — ${link(clusterUrl(f.cluster, f.region), f.cluster)} (${RESOLUTION[f.resolution]})`), TOP_FINDINGS)
      : undefined,
  ];
}

function bySeverity(a: DigestFinding, b: DigestFinding): number {
  return SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity);
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
