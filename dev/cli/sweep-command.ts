import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Severity } from '../../shared/types/index.ts';
import { SEVERITIES } from '../../shared/types/index.ts';
import { sdkClients } from '../../shared/aws/client.ts';
import { parseS3Url } from '../../shared/aws/s3.ts';
import { loadConfig } from '../../shared/capabilities/config.ts';
import { loadSweepConfig, scopesOf } from '../../shared/sweep/config.ts';
import { deliverReport, type Delivery } from '../../shared/sweep/deliver.ts';
import type { SweepReport } from '../../shared/sweep/model.ts';
import { renderHtml } from '../../shared/sweep/render-html.ts';
import { renderTable } from '../../shared/sweep/render-table.ts';
import { openAtOrAbove } from '../../shared/sweep/summarize.ts';
import { compareWithBaseline, newAtOrAbove, type Baseline } from '../../shared/sweep/baseline.ts';
import { missing, parseBaseline, unreadable } from '../../shared/sweep/baseline-read.ts';
import { readLatestBaseline } from '../../shared/sweep/baseline-s3.ts';
import { describeError, runSweep, type SweepProgress } from '../../shared/sweep/run-sweep.ts';
import { escapeControl, escapeJsonControl } from '../../shared/text.ts';
import { UsageError } from './invoke.ts';
import { checkBucket, checkEventBus, checkNamedClusters, checkOutputPath } from './preflight.ts';
import { style, withStdoutOnStderr } from './output.ts';

export const SWEEP_USAGE = `eks-guardrails sweep — check every cluster with every check; fix what the mode allows

Options:
  --profile NAME          AWS profile (standard credential chain otherwise)
  --region REGION         region to sweep; repeatable (default AWS_REGION)
  --role-arn ARN          also sweep a member account through this role; repeatable
  --cluster NAME          sweep only this cluster; repeatable (default: all, by EKS ListClusters)
  --dry-run               plan only: zero mutating calls (default: GUARDRAILS_MODE, else enforce)
  --format table|json|html  report format (default table); json prints exactly one JSON document
  --output FILE           write the report to FILE instead of stdout
  --fail-on SEVERITY      exit 1 when an open finding at or above it remains, or a cluster could not be swept
                          (a --cluster that exists nowhere is refused before anything is swept: ClusterNotFound)
  --previous FILE|s3://BUCKET[/PREFIX]  compare with the previous report: a JSON report file, or the last report
                          uploaded there (its latest.json pointer); findings become new, still open or resolved.
                          Missing → first sweep (all new); unreadable → said on stderr, all new
  --fail-on-new SEVERITY  like --fail-on, counting only findings new since --previous (needs --previous;
                          without a readable previous report every open finding counts as new)
  --upload s3://BUCKET[/PREFIX]  also upload the JSON and HTML reports
  --concurrency N         clusters reconciled at once (default 4)

Checked before anything is swept (exit 2 for a usage error, 1 otherwise; nothing changed):
  configuration (GUARDRAILS_* variables: unknown check names, bad or contradictory values → InvalidConfiguration),
  options, --output's directory exists and is writable, the --upload bucket and GUARDRAILS_EVENT_BUS are
  reachable, and every --cluster exists in at least one region/account swept (else ClusterNotFound).
If the report cannot be written or uploaded after the sweep, it is saved as eks-guardrails-report-<sweepId>.json
(current directory, else the temp directory), stderr names that path, "Sweep Completed" is still published, exit 1.`;

type Format = 'table' | 'json' | 'html';

export interface SweepCliResult {
  report: SweepReport;
  exitCode: number;
}

export async function sweepCommand(args: string[]): Promise<number> {
  return (await runSweepCli(args)).exitCode;
}

export async function runSweepCli(args: string[]): Promise<SweepCliResult> {
  const { values } = parseCli(args);
  const format = (values.format ?? 'table') as Format;
  if (!['table', 'json', 'html'].includes(format)) throw new UsageError(`--format must be table, json or html, got "${values.format}"`);
  const failOn = values['fail-on'] as Severity | undefined;
  if (failOn !== undefined && !SEVERITIES.includes(failOn)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, got "${failOn}"`);
  const failOnNew = values['fail-on-new'] as Severity | undefined;
  if (failOnNew !== undefined && !SEVERITIES.includes(failOnNew)) throw new UsageError(`--fail-on-new must be one of ${SEVERITIES.join(', ')}, got "${failOnNew}"`);
  // A gate on "new" with nothing to be new against would be a silent choice: say which report to compare with.
  if (failOnNew !== undefined && !values.previous) throw new UsageError('--fail-on-new needs --previous FILE|s3://BUCKET[/PREFIX] (the report to compare with)');
  const previousUpload = values.previous?.startsWith('s3://') ? parsePrevious(values.previous) : undefined;
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32)) throw new UsageError('--concurrency must be a whole number from 1 to 32');
  const upload = values.upload ? parseUpload(values.upload) : undefined;

  if (values.profile) process.env.AWS_PROFILE = values.profile;
  sdkClients.clear();
  const config = loadConfig();
  if (values['dry-run']) config.mode = 'dry-run';
  const sweepConfig = loadSweepConfig({
    ...process.env,
    ...(values.region?.length ? { GUARDRAILS_SWEEP_REGIONS: values.region.join(',') } : {}),
    ...(values['role-arn']?.length ? { GUARDRAILS_SWEEP_ROLE_ARNS: values['role-arn'].join(',') } : {}),
  });

  const scopes = scopesOf(sweepConfig);
  let baseline: Baseline = { info: { status: 'off', reason: 'no --previous report given' } };
  await withStdoutOnStderr(async () => {
    if (values.output) await checkOutputPath(values.output);
    // Before the sweep: `--previous report.json --output report.json` compares with the old file, then replaces it.
    if (values.previous) {
      baseline = previousUpload ? await readLatestBaseline(previousUpload.bucket, previousUpload.prefix) : await readPreviousFile(values.previous);
      if (baseline.info.status !== 'compared') process.stderr.write(`${escapeControl(`previous report: ${baseline.info.reason}; every open finding counts as new`)}\n`);
    }
    if (upload) await checkBucket(upload.bucket);
    if (config.eventBus) await checkEventBus(config.eventBus);
    if (values.cluster?.length) await checkNamedClusters(scopes, values.cluster);
  });

  const progress = progressLine();
  const problems: string[] = [];
  const report = await withStdoutOnStderr(async () => {
    const r = compareWithBaseline(await runSweep({
      config,
      scopes,
      clusters: values.cluster,
      concurrency: concurrency ?? sweepConfig.concurrency,
      trigger: 'cli',
      publish: sweepConfig.publish,
      onProgress: progress.update,
      // Warnings only: stderr carries the progress line; debug details are for the Lambda logs.
      log: (message, data, level = 'info') => { if (level === 'warn') process.stderr.write(`${JSON.stringify({ level: 'WARN', message, ...data })}\n`); },
    }), baseline);
    progress.done();
    const delivery = await deliver(r, config, upload, problems);
    for (const url of delivery?.uploaded ?? []) process.stderr.write(`uploaded ${url}\n`);
    return r;
  });

  const rendered = format === 'json' ? `${JSON.stringify(report, null, 2)}\n`
    : format === 'html' ? renderHtml(report)
    : renderTable(report, values.output ? undefined : style);
  if (values.output) {
    try {
      await writeFile(values.output, rendered);
      process.stderr.write(`report written to ${escapeControl(values.output)}\n`);
    } catch (err) {
      problems.push(`--output ${values.output}: ${(err as Error).message}`);
    }
  } else {
    process.stdout.write(rendered);
  }

  if (problems.length > 0) {
    // The sweep may have changed things: its record must survive whatever failed after it.
    const saved = await saveFallbackReport(report);
    process.stderr.write(`${escapeJsonControl(JSON.stringify({ error: 'DeliveryFailed', message: `${problems.join('; ')}; ${saved ? `the report was saved to ${saved}` : 'the report could not be saved anywhere'}`, details: { reportPath: saved ?? null } }))}\n`);
    return { report, exitCode: 1 };
  }

  let exitCode = 0;
  const unswept = report.clusters.filter((c) => c.status === 'error').length + report.scopes.filter((s) => s.error).length + missingNamed(report, values.cluster);
  if (failOn) {
    const open = openAtOrAbove(report, failOn);
    if (open > 0 || unswept > 0) {
      process.stderr.write(`fail-on ${failOn}: ${open} open finding(s) at or above ${failOn}${unswept ? `, ${unswept} cluster(s)/scope(s) not swept` : ''}\n`);
      exitCode = 1;
    }
  }
  if (failOnNew) {
    const fresh = newAtOrAbove(report, failOnNew);
    if (fresh > 0 || unswept > 0) {
      const against = report.comparison.baseline.status === 'compared' ? `since sweep ${report.comparison.baseline.sweepId}` : `(no baseline: ${report.comparison.baseline.reason}, so every open finding counts as new)`;
      process.stderr.write(`${escapeControl(`fail-on-new ${failOnNew}: ${fresh} new finding(s) at or above ${failOnNew} ${against}${unswept ? `, ${unswept} cluster(s)/scope(s) not swept` : ''}`)}\n`);
      exitCode = 1;
    }
  }
  return { report, exitCode };
}

/** `--previous FILE`: a missing file is the first sweep; anything else unreadable is said, never fatal. */
async function readPreviousFile(path: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? missing(path, `first sweep: ${path} does not exist`) : unreadable(path, `${path}: ${code ?? (err as Error).message}`);
  }
  return parseBaseline(text, path);
}

function parsePrevious(url: string): { bucket: string; prefix: string } {
  try {
    return parseS3Url(url);
  } catch {
    throw new UsageError(`--previous needs a file or s3://BUCKET[/PREFIX], got "${url}"`);
  }
}

/** Named clusters that no scope found (deleted after the pre-flight looked): not swept, so not passing. */
function missingNamed(report: SweepReport, names: readonly string[] | undefined): number {
  return [...new Set(names ?? [])].filter((n) => {
    const entries = report.clusters.filter((c) => c.name === n);
    return entries.length > 0 && entries.every((c) => c.status === 'not-found');
  }).length;
}

/** Uploads (when asked) and publishes "Sweep Completed" (deliverReport publishes even when the upload fails); failures are collected for the exit status. */
async function deliver(report: SweepReport, config: ReturnType<typeof loadConfig>, upload: { bucket: string; prefix: string } | undefined, problems: string[]): Promise<Delivery | undefined> {
  try {
    return await deliverReport(report, config, upload);
  } catch (err) {
    problems.push(describeError(err));
    return undefined;
  }
}

/** `./eks-guardrails-report-<sweepId>.json`, else the same name in the temp directory; never overwrites. */
async function saveFallbackReport(report: SweepReport): Promise<string | undefined> {
  const name = `eks-guardrails-report-${report.sweepId}.json`;
  for (const dir of [process.cwd(), tmpdir()]) {
    const path = resolve(join(dir, name));
    try {
      await writeFile(path, `${JSON.stringify(report, null, 2)}\n`, { flag: 'wx' });
      return path;
    } catch {
      // next place
    }
  }
  return undefined;
}

function parseCli(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: false,
      options: {
        profile: { type: 'string' },
        region: { type: 'string', multiple: true },
        'role-arn': { type: 'string', multiple: true },
        cluster: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean' },
        format: { type: 'string' },
        output: { type: 'string' },
        'fail-on': { type: 'string' },
        'fail-on-new': { type: 'string' },
        previous: { type: 'string' },
        upload: { type: 'string' },
        concurrency: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${SWEEP_USAGE}`);
  }
}

function parseUpload(url: string): { bucket: string; prefix: string } {
  try {
    return parseS3Url(url);
  } catch {
    throw new UsageError(`--upload needs s3://BUCKET[/PREFIX], got "${url}"`);
  }
}

/** One line on stderr, rewritten in place on a terminal; on a pipe a line every 10% of a long run. */
function progressLine(): { update: (p: SweepProgress) => void; done: () => void } {
  const tty = Boolean(process.stderr.isTTY);
  let lastDecile = -1;
  let shown = false;
  return {
    update(p) {
      const text = `sweep: ${p.done}/${p.total} clusters (${p.region}) — ${p.cluster}: ${p.status}`;
      if (tty) {
        process.stderr.write(`\r\x1b[2K${text}`);
        shown = true;
      } else if (p.total >= 20) {
        const decile = Math.floor((10 * p.done) / p.total);
        if (decile !== lastDecile) {
          lastDecile = decile;
          process.stderr.write(`${text}\n`);
        }
      }
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}
