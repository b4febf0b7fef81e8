import type { Severity } from '../types/index.ts';
import { SEVERITIES } from '../types/index.ts';
import { escapeControl as e } from '../text.ts';
import type { SweepReport } from './model.ts';
import { isOpen, severityRank } from './summarize.ts';

export interface TableStyle {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
}

const PLAIN: TableStyle = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s };

export function severityLine(counts: Partial<Record<Severity, number>>): string {
  const parts = [...SEVERITIES].reverse().filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`);
  return parts.length ? parts.join(', ') : 'none';
}

export interface TableOptions {
  /** A fix-hint line under each row (default true). */
  fixHints?: boolean;
  /** Rows below this severity are counted, not listed (default: every row). */
  minSeverity?: Severity;
  /** Only the summary and what changed since the previous sweep, no rows (the rows were shown before). */
  changesOnly?: boolean;
}

const LISTED = 10;

/** What changed since the previous sweep, first: new findings and resolved ones, by name (at most ten of each). */
function sinceLastSweep(report: SweepReport, style: TableStyle): string[] {
  const { baseline, new: fresh, stillOpen, resolved, notCompared } = report.comparison;
  if (baseline.status === 'off') return [];
  const lines = [baseline.status === 'compared'
    ? style.bold(`Since sweep ${e(baseline.sweepId ?? '')} (${e(baseline.finishedAt ?? '')}): ${fresh.total} new (${severityLine(fresh.bySeverity)}) · ${resolved.total} resolved · ${stillOpen} still open`)
    : style.yellow(`No baseline — ${e(baseline.reason ?? baseline.status)}: all ${fresh.total} open finding${fresh.total === 1 ? '' : 's'} count as new`)];
  if (baseline.status === 'compared') {
    const newRows = report.clusters.flatMap((c) => c.findings.filter((f) => f.change === 'new').map((f) => ({ c, f })))
      .sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.f.id.localeCompare(b.f.id));
    for (const { c, f } of newRows.slice(0, LISTED)) lines.push(style.red(`  + new       ${f.severity.padEnd(8)} ${e(c.name)}: ${e(f.title)}`));
    if (newRows.length > LISTED) lines.push(style.dim(`  … and ${newRows.length - LISTED} more new`));
    for (const r of resolved.findings.slice(0, LISTED)) lines.push(style.green(`  ✔ resolved  ${r.severity.padEnd(8)} ${e(r.cluster)}: ${e(r.title)} (${r.resolution === 'gone' ? 'no longer found' : r.resolution === 'fixed' ? 'fixed by this sweep' : 'exempt now'})`));
    if (resolved.findings.length > LISTED) lines.push(style.dim(`  … and ${resolved.findings.length - LISTED} more resolved`));
  }
  for (const c of notCompared) lines.push(style.dim(`  not compared: ${e(c.cluster)} (${e(c.region)}), ${c.open} open last time — ${e(c.reason)}`));
  return lines;
}

/** The terminal report: a summary line, then one row per finding (fix hint beneath), then passing clusters. */
export function renderTable(report: SweepReport, style: TableStyle = PLAIN, options: TableOptions = {}): string {
  const s = report.summary;
  const lines: string[] = [];
  const accounts = new Set(report.scopes.map((x) => x.account)).size;
  const regions = new Set(report.scopes.map((x) => x.region)).size;
  lines.push(style.bold(`Sweep ${e(report.sweepId)} · ${report.mode} · ${accounts} account${accounts === 1 ? '' : 's'} · ${regions} region${regions === 1 ? '' : 's'} · ${report.checks.length} check${report.checks.length === 1 ? '' : 's'}`));
  lines.push(`Clusters: ${s.clusters} (${s.clustersPassing} pass, ${s.clustersFailing} fail${s.clustersErrored ? `, ${s.clustersErrored} error` : ''})` +
    ` · open findings: ${s.open.total} (${severityLine(s.open.bySeverity)}) · fixed ${s.byState.fixed} · planned ${s.byState.planned}${s.byState.pending ? ` · pending ${s.byState.pending}` : ''} · failed ${s.byState.failed} · exempt ${s.byState.exempt}`);
  for (const scope of report.scopes.filter((x) => x.error)) lines.push(style.red(`! ${e(scope.account)}/${e(scope.region)}: ${e(scope.error ?? '')}`));
  lines.push(...sinceLastSweep(report, style));
  if (options.changesOnly) return `${lines.join('\n')}\n`;

  const all = report.clusters.flatMap((c) => c.findings.map((f) => ({ c, f })));
  const rows = all.filter(({ f }) => !options.minSeverity || severityRank(f.severity) >= severityRank(options.minSeverity))
    .sort((a, b) => Number(isOpen(b.f)) - Number(isOpen(a.f)) || severityRank(b.f.severity) - severityRank(a.f.severity) || a.c.name.localeCompare(b.c.name) || a.f.id.localeCompare(b.f.id));
  if (rows.length > 0) {
    const header = ['CLUSTER', 'REGION', 'SEVERITY', 'STATE', 'CHECK', 'RESOURCE', 'FINDING'];
    // Every cell may hold what someone wrote in a tag or a name: escaped, so it cannot drive the terminal.
    const cells = rows.map(({ c, f }) => [c.name, c.region, f.severity, f.state, f.check, f.resource.id, f.title].map(e));
    const widths = header.slice(0, -1).map((h, i) => Math.min(40, Math.max(h.length, ...cells.map((r) => r[i]!.length))));
    const fmt = (r: string[]) => r.map((cell, i) => (i < widths.length ? cell.slice(0, widths[i]).padEnd(widths[i]!) : cell)).join('  ');
    lines.push('', style.bold(fmt(header)));
    for (const [i, { f }] of rows.entries()) {
      const line = fmt(cells[i]!);
      const painted = f.state === 'fixed' ? style.green(line) : f.state === 'exempt' ? style.dim(line)
        : severityRank(f.severity) >= severityRank('high') ? style.red(line) : style.yellow(line);
      lines.push(painted);
      if (options.fixHints !== false) lines.push(style.dim(`${' '.repeat(4)}fix: ${e(f.fixHint)}`));
    }
  }
  const hidden = all.length - rows.length;
  if (hidden > 0) lines.push(style.dim(`… and ${hidden} finding${hidden === 1 ? '' : 's'} below ${options.minSeverity} (all of them are in the JSON and HTML reports)`));
  const headroom = report.clusters.flatMap((c) => (c.loadBalancerHeadroom ?? []).map((h) => ({ c, h })));
  if (headroom.length > 0) {
    lines.push('', style.bold('LoadBalancer headroom (groups tagged kubernetes.io/cluster/<name>; single-port Services at 3 rules each)'));
    const width = Math.min(40, Math.max(...headroom.map(({ c }) => e(c.name).length)));
    for (const { c, h } of headroom) {
      const line = `  ${e(c.name).padEnd(width)}  ${e(h.groupId)}${h.groupName ? ` (${e(h.groupName)})` : ''}  ${h.ingressRulesUsed}/${h.quota} inbound rules · ~${h.servicesThatFit} more Service${h.servicesThatFit === 1 ? '' : 's'}`;
      lines.push(h.servicesThatFit === 0 ? style.red(line) : h.servicesThatFit < 5 ? style.yellow(line) : line);
    }
  }
  const errored = report.clusters.filter((c) => c.error);
  for (const c of errored) lines.push(style.red(`! ${e(c.name)} (${e(c.region)}): ${c.status} — ${e(c.error ?? '')}`));
  const passing = report.clusters.filter((c) => c.status === 'pass');
  if (passing.length > 0) lines.push('', style.green(`✔ passing: ${passing.map((c) => e(c.name)).join(', ')}`));
  return `${lines.join('\n')}\n`;
}
