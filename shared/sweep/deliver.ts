import type { GuardrailsConfig } from '../types/index.ts';
import { GuardrailsError } from '../errors.ts';
import { errorCode } from '../aws/errors.ts';
import { putEvents } from '../aws/eventbridge.ts';
import { putObject } from '../aws/s3.ts';
import { SWEEP_COMPLETED } from '../events/sweep-events.ts';
import type { SweepReport } from './model.ts';
import { renderHtml } from './render-html.ts';
import { writeLatestPointer } from './baseline-s3.ts';
import { sweepCompletedDetail } from './summarize.ts';

export interface Delivery {
  /** s3:// URLs of the uploaded JSON and HTML reports. */
  uploaded: string[];
  reportUrl?: string;
  published: boolean;
}

/** `reports/2026/11/24/<sweepId>` — sortable by day, unique per sweep. */
export function reportKey(report: SweepReport, prefix = 'reports'): string {
  const day = report.startedAt.slice(0, 10).replace(/-/g, '/');
  return `${prefix ? `${prefix}/` : ''}${day}/${report.sweepId}`;
}

/**
 * Uploads the report (when a bucket is given), then puts "Sweep Completed" on the bus (when one is configured).
 * A failed upload does not stop the digest — the bus and Slack still hear what the sweep changed — and then
 * fails as DeliveryFailed (details say whether the digest went out), so the caller can save the report.
 */
export async function deliverReport(report: SweepReport, config: GuardrailsConfig, upload?: { bucket: string; prefix?: string }): Promise<Delivery> {
  const uploaded: string[] = [];
  let reportUrl: string | undefined;
  let uploadError: unknown;
  if (upload) {
    const key = reportKey(report, upload.prefix ?? 'reports');
    try {
      uploaded.push(await putObject(upload.bucket, `${key}.json`, JSON.stringify(report), 'application/json'));
      reportUrl = await putObject(upload.bucket, `${key}.html`, renderHtml(report), 'text/html; charset=utf-8');
      uploaded.push(reportUrl);
      // Last, once the report is there: the next sweep compares itself with what this pointer names.
      await writeLatestPointer(upload.bucket, upload.prefix ?? 'reports', report, `${key}.json`);
    } catch (err) {
      uploadError = err;
      reportUrl = undefined;
    }
  }
  let published = false;
  if (config.eventBus) {
    await putEvents(config.eventBus, [{ detailType: SWEEP_COMPLETED, detail: sweepCompletedDetail(report, reportUrl) }]);
    published = true;
  }
  if (uploadError !== undefined) {
    throw new GuardrailsError('DeliveryFailed', `report upload to s3://${upload!.bucket} failed (${errorCode(uploadError)}: ${(uploadError as Error)?.message ?? uploadError})${published ? '; "Sweep Completed" was published' : ''}`,
      { uploaded, published });
  }
  return { uploaded, ...(reportUrl ? { reportUrl } : {}), published };
}
