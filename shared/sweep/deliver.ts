import type { GuardrailsConfig } from '../types/index.ts';
import { putEvents } from '../aws/eventbridge.ts';
import { putObject } from '../aws/s3.ts';
import { SWEEP_COMPLETED } from '../events/sweep-events.ts';
import type { SweepReport } from './model.ts';
import { renderHtml } from './render-html.ts';
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

/** Uploads the report (when a bucket is given), then puts "Sweep Completed" on the bus (when one is configured). */
export async function deliverReport(report: SweepReport, config: GuardrailsConfig, upload?: { bucket: string; prefix?: string }): Promise<Delivery> {
  const uploaded: string[] = [];
  let reportUrl: string | undefined;
  if (upload) {
    const key = reportKey(report, upload.prefix ?? 'reports');
    uploaded.push(await putObject(upload.bucket, `${key}.json`, JSON.stringify(report), 'application/json'));
    reportUrl = await putObject(upload.bucket, `${key}.html`, renderHtml(report), 'text/html; charset=utf-8');
    uploaded.push(reportUrl);
  }
  let published = false;
  if (config.eventBus) {
    await putEvents(config.eventBus, [{ detailType: SWEEP_COMPLETED, detail: sweepCompletedDetail(report, reportUrl) }]);
    published = true;
  }
  return { uploaded, ...(reportUrl ? { reportUrl } : {}), published };
}
