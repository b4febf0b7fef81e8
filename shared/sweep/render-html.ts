import { SEVERITIES } from '../types/index.ts';
import type { ClusterReport, ReportFinding, SweepReport } from './model.ts';
import { isOpen, severityRank } from './summarize.ts';

/** Everything a browser shows comes from the report; every value is escaped. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
:root{--fg:#1d2330;--muted:#5d6677;--bg:#f6f7f9;--card:#fff;--line:#dde1e7;--pass:#1a7f37;--fail:#cf222e;--warn:#9a6700;--info:#0969da}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:24px}h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:0}h3{font-size:14px;margin:16px 0 6px}
.meta{color:var(--muted);margin-bottom:16px}.cards{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px;min-width:150px}.card b{display:block;font-size:24px}
table{border-collapse:collapse;width:100%;background:var(--card)}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;text-transform:uppercase;color:var(--muted)}section.cluster{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px;margin:16px 0}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:var(--muted)}
.pass,.fixed{background:var(--pass)}.fail,.failed,.error,.critical,.high{background:var(--fail)}.medium,.planned,.open,.pending{background:var(--warn)}.low,.info{background:var(--info)}.exempt,.not-found,.gone{background:var(--muted)}
.finding{border-left:4px solid var(--line);padding:8px 12px;margin:8px 0}.finding.sev-critical,.finding.sev-high{border-color:var(--fail)}.finding.sev-medium{border-color:var(--warn)}
.hint{margin:4px 0}.hint::before{content:"Fix: ";font-weight:600}code,pre{font:12px ui-monospace,Menlo,Consolas,monospace}pre{background:var(--bg);padding:8px;overflow:auto;max-height:240px}
.muted{color:var(--muted)}a{color:var(--info)}
.new{background:var(--fail)}.resolved{background:var(--pass)}.still-open{background:var(--muted)}#changes{margin-bottom:16px}.notice{border-left:4px solid var(--warn);background:var(--card);padding:8px 12px}`;

/** A self-contained page (inline CSS, no script, no external resource): summary, then every cluster. */
export function renderHtml(report: SweepReport): string {
  const s = report.summary;
  const sevCards = [...SEVERITIES].reverse().map((sev) => `<div class="card" data-open-severity="${sev}"><span class="badge ${sev}">${sev}</span><b>${s.open.bySeverity[sev] ?? 0}</b>open</div>`).join('');
  const checkRows = report.checks.map((c) => {
    const counts = s.open.byCheck[c.name] ?? {};
    const failing = report.clusters.filter((cl) => cl.checks.some((x) => x.name === c.name && x.status === 'fail')).length;
    return `<tr data-check="${escapeHtml(c.name)}"><td><code>${escapeHtml(c.name)}</code><div class="muted">${escapeHtml(c.description)}</div></td><td>${escapeHtml(c.mode)}</td>` +
      `<td>${failing}</td>${[...SEVERITIES].reverse().map((sev) => `<td>${counts[sev] ?? ''}</td>`).join('')}</tr>`;
  }).join('');
  const clusterRows = report.clusters.map((c) => `<tr data-cluster-row="${escapeHtml(c.name)}"><td><a href="#${anchor(c)}">${escapeHtml(c.name)}</a></td><td>${escapeHtml(c.account)}</td><td>${escapeHtml(c.region)}</td>` +
    `<td><span class="badge ${c.status}">${c.status}</span></td><td>${c.findings.filter(isOpen).length}</td></tr>`).join('');
  const scopeErrors = report.scopes.filter((x) => x.error).map((x) => `<p class="badge error">${escapeHtml(`${x.account}/${x.region}: ${x.error}`)}</p>`).join('');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>eks-guardrails sweep ${escapeHtml(report.sweepId)}</title><style>${CSS}</style></head>
<body><main>
<header><h1>eks-guardrails sweep report</h1>
<div class="meta">Sweep <code>${escapeHtml(report.sweepId)}</code> · mode <b>${escapeHtml(report.mode)}</b> · ${escapeHtml(report.startedAt)} → ${escapeHtml(report.finishedAt)} ·
${report.scopes.map((x) => escapeHtml(`${x.account}/${x.region}`)).join(', ')} · ${report.calls.total} AWS calls</div></header>
${renderChanges(report)}
<section id="summary"><h2>Summary</h2>${scopeErrors}
<div class="cards">
<div class="card" data-summary="clusters"><b>${s.clusters}</b>clusters</div>
<div class="card" data-summary="passing"><b>${s.clustersPassing}</b>passing</div>
<div class="card" data-summary="failing"><b>${s.clustersFailing}</b>failing</div>
${s.clustersErrored ? `<div class="card" data-summary="errored"><b>${s.clustersErrored}</b>not swept</div>` : ''}
<div class="card" data-summary="fixed"><b>${s.byState.fixed}</b>fixed now</div>
${sevCards}</div>
<h3>By check</h3>
<table id="by-check"><thead><tr><th>Check</th><th>Mode</th><th>Clusters failing</th>${[...SEVERITIES].reverse().map((x) => `<th>${x}</th>`).join('')}</tr></thead><tbody>${checkRows}</tbody></table>
<h3>Clusters</h3>
<table id="clusters"><thead><tr><th>Cluster</th><th>Account</th><th>Region</th><th>Status</th><th>Open findings</th></tr></thead><tbody>${clusterRows}</tbody></table>
</section>
${[...report.clusters].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status)).map(renderCluster).join('\n')}
<footer class="muted"><p>Report schema ${escapeHtml(report.schemaVersion)} · generated by eks-guardrails</p></footer>
</main></body></html>
`;
}

/** Failing and unswept clusters first: that is what the reader came for. */
const STATUS_ORDER: readonly ClusterReport['status'][] = ['error', 'fail', 'not-found', 'gone', 'pass'];

function anchor(c: ClusterReport): string {
  return `cluster-${`${c.account}-${c.region}-${c.name}`.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function renderCluster(c: ClusterReport): string {
  const checks = c.checks.map((x) => `<tr data-check-status="${x.status}" data-check-name="${escapeHtml(x.name)}"><td><code>${escapeHtml(x.name)}</code></td><td>${escapeHtml(x.mode)}</td>` +
    `<td><span class="badge ${x.status}">${x.status}</span></td><td>${x.findings}</td></tr>`).join('');
  const findings = [...c.findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity)).map(renderFinding).join('');
  return `<section class="cluster" id="${anchor(c)}" data-cluster="${escapeHtml(c.name)}" data-status="${c.status}">
<h2>${escapeHtml(c.name)} <span class="badge ${c.status}">${c.status}</span></h2>
<div class="meta">${escapeHtml(c.arn ?? `${c.account}/${c.region}`)}</div>
${c.error ? `<p><span class="badge error">error</span> ${escapeHtml(c.error)}</p>` : ''}
${c.checks.length ? `<table><thead><tr><th>Check</th><th>Mode</th><th>Result</th><th>Findings</th></tr></thead><tbody>${checks}</tbody></table>` : ''}
${renderHeadroom(c)}
${findings ? `<h3>Findings</h3>${findings}` : c.error ? '' : '<p class="muted">Every check passes.</p>'}
</section>`;
}

const CHANGE_LABEL = { new: 'new since last sweep', 'still-open': 'still open', resolved: 'resolved' } as const;
const RESOLUTION_LABEL = { fixed: 'fixed by this sweep', exempt: 'exempt now', gone: 'no longer found' } as const;

/** First on the page: what is new since the previous sweep and what was resolved, by name. */
function renderChanges(report: SweepReport): string {
  const { baseline, new: fresh, stillOpen, resolved, notCompared } = report.comparison;
  if (baseline.status === 'off') return `<p class="muted" id="changes" data-baseline="off">Not compared with a previous sweep: ${escapeHtml(baseline.reason ?? '')}.</p>`;
  if (baseline.status !== 'compared') {
    return `<section id="changes" data-baseline="${baseline.status}"><h2>Since the last sweep</h2>
<p class="notice">No baseline — ${escapeHtml(baseline.reason ?? baseline.status)}. Every open finding (<b data-new-total>${fresh.total}</b>) counts as new.</p></section>`;
  }
  const newRows = report.clusters.flatMap((c) => c.findings.filter((f) => f.change === 'new').map((f) => ({ c, f })))
    .sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.f.id.localeCompare(b.f.id))
    .map(({ c, f }) => `<tr data-new-id="${escapeHtml(f.id)}"><td><span class="badge ${f.severity}">${f.severity}</span></td><td><a href="#${anchor(c)}">${escapeHtml(c.name)}</a></td><td><code>${escapeHtml(f.check)}</code></td><td>${escapeHtml(f.title)}</td></tr>`).join('');
  const resolvedRows = resolved.findings.map((r) => `<tr data-resolved-id="${escapeHtml(r.id)}" data-resolution="${r.resolution}"><td><span class="badge ${r.severity}">${r.severity}</span></td><td>${escapeHtml(r.cluster)}</td>` +
    `<td><code>${escapeHtml(r.check)}</code></td><td>${escapeHtml(r.title)}</td><td><span class="badge resolved">${RESOLUTION_LABEL[r.resolution]}</span></td></tr>`).join('');
  const skipped = notCompared.map((c) => `<li data-not-compared="${escapeHtml(c.cluster)}">${escapeHtml(`${c.cluster} (${c.account}/${c.region}): ${c.open} open last time — ${c.reason}`)}</li>`).join('');
  return `<section id="changes" data-baseline="compared"><h2>Since the last sweep</h2>
<div class="meta">Compared with sweep <code>${escapeHtml(baseline.sweepId ?? '')}</code> (finished ${escapeHtml(baseline.finishedAt ?? '')}) · ${escapeHtml(baseline.source ?? '')}</div>
<div class="cards">
<div class="card" data-changes="new"><span class="badge new">new</span><b>${fresh.total}</b>new since last sweep</div>
<div class="card" data-changes="resolved"><span class="badge resolved">resolved</span><b>${resolved.total}</b>resolved</div>
<div class="card" data-changes="still-open"><b>${stillOpen}</b>still open</div></div>
${newRows ? `<h3>New since last sweep</h3><table id="new-findings"><thead><tr><th>Severity</th><th>Cluster</th><th>Check</th><th>Finding</th></tr></thead><tbody>${newRows}</tbody></table>` : '<p class="muted">Nothing new since the last sweep.</p>'}
${resolvedRows ? `<h3>Resolved</h3><table id="resolved-findings"><thead><tr><th>Severity</th><th>Cluster</th><th>Check</th><th>Finding</th><th>How</th></tr></thead><tbody>${resolvedRows}</tbody></table>` : ''}
${skipped ? `<h3>Not compared</h3><p class="muted">Swept last time, not this time: their findings are neither resolved nor still open.</p><ul>${skipped}</ul>` : ''}
</section>`;
}

/** nlb-preflight's room for more LoadBalancer Services, per tagged group. */
function renderHeadroom(c: ClusterReport): string {
  if (!c.loadBalancerHeadroom?.length) return '';
  const rows = c.loadBalancerHeadroom.map((h) => `<tr data-headroom-group="${escapeHtml(h.groupId)}"><td><code>${escapeHtml(h.groupId)}</code> ${escapeHtml(h.groupName ?? '')}</td>` +
    `<td>${h.ingressRulesUsed} / ${h.quota}</td><td>${h.servicesThatFit}</td></tr>`).join('');
  return `<table><thead><tr><th>Security group (tagged for the cluster)</th><th>Inbound rules</th><th>More single-port LoadBalancer Services (≈${c.loadBalancerHeadroom[0]!.rulesPerService} rules each)</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function renderFinding(f: ReportFinding): string {
  const actions = f.actions.map((a) => `<li><span class="badge ${a.status === 'applied' || a.status === 'skipped' ? 'fixed' : a.status}">${a.status}</span> ${escapeHtml(a.summary)}${a.reason ? ` <span class="muted">(${escapeHtml(a.reason)})</span>` : ''}</li>`).join('');
  return `<div class="finding sev-${f.severity}" data-finding-id="${escapeHtml(f.id)}" data-severity="${f.severity}" data-state="${f.state}">
<div><span class="badge ${f.severity}">${f.severity}</span> <span class="badge ${f.state}">${f.state}</span>${f.change ? ` <span class="badge ${f.change}" data-change="${f.change}">${CHANGE_LABEL[f.change]}</span>` : ''} <b>${escapeHtml(f.title)}</b></div>
<div class="muted"><code>${escapeHtml(f.check)}</code> · ${escapeHtml(f.resource.type)} <code>${escapeHtml(f.resource.id)}</code> · id <code>${escapeHtml(f.id)}</code></div>
<p class="hint">${escapeHtml(f.fixHint)}</p>
${actions ? `<ul>${actions}</ul>` : ''}
<details><summary>Evidence</summary><pre>${escapeHtml(JSON.stringify(f.evidence, null, 2))}</pre></details>
</div>`;
}
