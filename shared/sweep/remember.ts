import { compareWithBaseline, type Baseline } from './baseline.ts';
import { readLatestBaseline } from './baseline-s3.ts';
import type { SweepConfig } from './config.ts';
import type { SweepReport } from './model.ts';

/**
 * The scheduled sweep (in one invocation or at the end of a fan-out) compares its report with the last one
 * it uploaded, found through `reports/latest.json` in the sweep bucket. Without uploaded reports there is
 * nothing to remember, and the report says so.
 */
export async function rememberPrevious(report: SweepReport, sweep: Pick<SweepConfig, 'bucket' | 'uploadReports'>): Promise<SweepReport> {
  const baseline: Baseline = sweep.bucket && sweep.uploadReports
    ? await readLatestBaseline(sweep.bucket)
    : { info: { status: 'off', reason: 'reports are not uploaded (SweepUploadReports=false): there is no previous report to compare with' } };
  return compareWithBaseline(report, baseline);
}
