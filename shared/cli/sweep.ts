import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Severity } from '../types/index.ts';
import { SEVERITIES } from '../types/index.ts';
import { resetClients } from '../aws/client.ts';
import { parseS3Url } from '../aws/s3.ts';
import { loadConfig } from '../config/load.ts';
import { loadSweepConfig, scopesOf } from '../sweep/config.ts';
import { deliverReport } from '../sweep/deliver.ts';
import type { SweepReport } from '../sweep/model.ts';
import { renderHtml } from '../sweep/render-html.ts';
import { renderTable } from '../sweep/render-table.ts';
import { openAtOrAbove } from '../sweep/summarize.ts';
import { runSweep, type SweepProgress } from '../sweep/sweep.ts';
import { UsageError } from './invoke.ts';
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
  --upload s3://BUCKET[/PREFIX]  also upload the JSON and HTML reports
  --concurrency N         clusters reconciled at once (default 4)`;

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
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32)) throw new UsageError('--concurrency must be a whole number from 1 to 32');
  const upload = values.upload ? parseUpload(values.upload) : undefined;

  if (values.profile) process.env.AWS_PROFILE = values.profile;
  resetClients();
  const config = loadConfig();
  if (values['dry-run']) config.mode = 'dry-run';
  const sweepConfig = loadSweepConfig({
    ...process.env,
    ...(values.region?.length ? { GUARDRAILS_SWEEP_REGIONS: values.region.join(',') } : {}),
    ...(values['role-arn']?.length ? { GUARDRAILS_SWEEP_ROLE_ARNS: values['role-arn'].join(',') } : {}),
  });

  const progress = progressLine();
  const report = await withStdoutOnStderr(async () => {
    const r = await runSweep({
      config,
      scopes: scopesOf(sweepConfig),
      clusters: values.cluster,
      concurrency: concurrency ?? sweepConfig.concurrency,
      trigger: 'cli',
      publish: sweepConfig.publish,
      onProgress: progress.update,
      // Warnings only: stderr carries the progress line; debug details are for the Lambda logs.
      log: (message, data, level = 'info') => { if (level === 'warn') process.stderr.write(`${JSON.stringify({ level: 'WARN', message, ...data })}\n`); },
    });
    progress.done();
    const delivery = await deliverReport(r, config, upload);
    for (const url of delivery.uploaded) process.stderr.write(`uploaded ${url}\n`);
    return r;
  });

  const rendered = format === 'json' ? `${JSON.stringify(report, null, 2)}\n`
    : format === 'html' ? renderHtml(report)
    : renderTable(report, values.output ? undefined : style);
  if (values.output) {
    await writeFile(values.output, rendered);
    process.stderr.write(`report written to ${values.output}\n`);
  } else {
    process.stdout.write(rendered);
  }

  let exitCode = 0;
  if (failOn) {
    const open = openAtOrAbove(report, failOn);
    const unswept = report.clusters.filter((c) => c.status === 'error').length + report.scopes.filter((s) => s.error).length;
    if (open > 0 || unswept > 0) {
      process.stderr.write(`fail-on ${failOn}: ${open} open finding(s) at or above ${failOn}${unswept ? `, ${unswept} cluster(s)/scope(s) not swept` : ''}\n`);
      exitCode = 1;
    }
  }
  return { report, exitCode };
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
