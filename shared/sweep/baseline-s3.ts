import { errorCode } from '../aws/errors.ts';
import { getObjectText, putObject } from '../aws/s3.ts';
import type { Baseline } from './baseline.ts';
import { missing, parseBaseline, unreadable } from './baseline-read.ts';
import type { SweepReport } from './model.ts';

/**
 * The "latest" pointer written beside the reports (`<prefix>/latest.json`): the previous report is one
 * GetObject for the pointer and one for the report, however long the history — never a listing.
 */
export interface LatestPointer {
  sweepId: string;
  finishedAt: string;
  schemaVersion: string;
  /** Key of the JSON report in the same bucket. */
  key: string;
}

export function latestKey(prefix = 'reports'): string {
  return `${prefix ? `${prefix}/` : ''}latest.json`;
}

export async function writeLatestPointer(bucket: string, prefix: string, report: SweepReport, reportJsonKey: string): Promise<void> {
  const pointer: LatestPointer = { sweepId: report.sweepId, finishedAt: report.finishedAt, schemaVersion: report.schemaVersion, key: reportJsonKey };
  await putObject(bucket, latestKey(prefix), JSON.stringify(pointer), 'application/json');
}

/**
 * The previous report of the sweeps that upload to `s3://bucket/prefix`. Never throws: a missing pointer is the
 * first sweep; any other failure (a denied or failed read, a pointer to an expired report, a report we cannot
 * read) leaves the sweep without a baseline, with the reason — the sweep's own work must not hinge on it.
 * A missing key answers 404 only with s3:ListBucket on the bucket, 403 without
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html): SweepRole has it.
 */
export async function readLatestBaseline(bucket: string, prefix = 'reports'): Promise<Baseline> {
  const pointerUrl = `s3://${bucket}/${latestKey(prefix)}`;
  let pointerText: string;
  try {
    pointerText = await getObjectText(bucket, latestKey(prefix));
  } catch (err) {
    if (isMissing(err)) return missing(pointerUrl, `first sweep: no previous report (${pointerUrl} does not exist)`);
    return unreadable(pointerUrl, `${errorCode(err)} reading ${pointerUrl}`);
  }
  let key: unknown;
  try {
    key = (JSON.parse(pointerText) as { key?: unknown } | null)?.key;
  } catch {
    key = undefined;
  }
  if (typeof key !== 'string' || key.length === 0) return unreadable(pointerUrl, `${pointerUrl} is not a pointer to a report (no "key")`);
  const reportUrl = `s3://${bucket}/${key}`;
  try {
    return parseBaseline(await getObjectText(bucket, key), reportUrl);
  } catch (err) {
    if (isMissing(err)) return missing(reportUrl, `the previous report ${reportUrl} no longer exists (expired?)`);
    return unreadable(reportUrl, `${errorCode(err)} reading ${reportUrl}`);
  }
}

function isMissing(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'NoSuchKey' || code === 'NotFound' || (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404;
}
