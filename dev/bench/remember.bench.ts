/**
 * Sweeps that remember: the AWS calls the comparison adds to a scheduled sweep (the pointer and the previous
 * report: two GetObject, and one PutObject for the new pointer — per sweep, none per cluster), and the time to
 * read and compare a large previous report (1000 clusters × 10 findings), which is pure work in the sweep.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { callLog } from '../../shared/aws/calls.ts';
import { loadConfig } from '../../shared/capabilities/config.ts';
import { seedProblemAccount } from '../local/sweep-account.ts';
import { compareWithBaseline } from '../../shared/sweep/baseline.ts';
import { parseBaseline } from '../../shared/sweep/baseline-read.ts';
import { loadSweepConfig } from '../../shared/sweep/config.ts';
import { startSweep } from '../../shared/sweep/fanout.ts';
import type { ClusterReport, ReportFinding } from '../../shared/sweep/model.ts';
import { assembleReport, countCalls } from '../../shared/sweep/run-sweep.ts';
import { onLocalAccount } from './support/local-account.ts';

export default async function rememberBench(): Promise<void> {
  await onLocalAccount({}, async (moto) => {
    await seedProblemAccount(moto, { only: ['world-open', 'public-api'] });
    await new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true })
      .send(new CreateBucketCommand({ Bucket: 'bench-sweep-bucket' }));
    const deps = (upload: boolean) => ({ config: { ...loadConfig(), mode: 'dry-run' as const }, sweep: { ...loadSweepConfig({ ...process.env, GUARDRAILS_SWEEP_BUCKET: 'bench-sweep-bucket', GUARDRAILS_SWEEP_UPLOAD_REPORTS: String(upload) }) } });
    const s3Calls = async (upload: boolean) => {
      callLog.reset();
      await startSweep(deps(upload));
      const s3 = callLog.all().filter((c) => c.service === 'S3');
      return { total: callLog.all().length, get: s3.filter((c) => c.operation === 'GetObject').length, put: s3.filter((c) => c.operation === 'PutObject').length };
    };
    const off = await s3Calls(false);
    const first = await s3Calls(true);
    const second = await s3Calls(true);
    console.log(`scheduled sweep, ${4} clusters: no uploads ${off.total} calls (S3 ${off.get} get / ${off.put} put)`);
    console.log(`  first sweep with uploads: ${first.total} calls (S3 GetObject ${first.get}: the missing pointer; PutObject ${first.put}: JSON, HTML, pointer)`);
    console.log(`  next sweep:               ${second.total} calls (S3 GetObject ${second.get}: pointer + previous report; PutObject ${second.put}) — the same for any number of clusters or past sweeps`);
  });

  // Pure: read and compare a large previous report.
  const finding = (c: number, i: number): ReportFinding => ({ id: `check-${i % 10}:sg-${c}-${i}`, check: `check-${i % 10}`, severity: 'medium', resource: { type: 'security-group', id: `sg-${c}` },
    title: `finding ${i} of cluster ${c}`, evidence: { rules: ['tcp 443 from 10.0.0.0/8'] }, fixHint: 'fix it', state: i % 3 ? 'open' : 'planned', actions: [] });
  const clusters = (shift: number): ClusterReport[] => Array.from({ length: 1000 }, (_, c) => ({
    name: `c${c}`, account: '111122223333', region: 'us-east-1', status: 'fail', checks: [], durationMs: 1, findings: Array.from({ length: 10 }, (_, i) => finding(c, i + shift)),
  }));
  const meta = { startedAt: new Date(0), finishedAt: new Date(1), config: loadConfig({}), trigger: 'schedule' as const, calls: countCalls([]) };
  const before = JSON.stringify(assembleReport([{ scope: { account: '111122223333', region: 'us-east-1' }, clusters: clusters(0) }], { ...meta, sweepId: 'one' }));
  const now = assembleReport([{ scope: { account: '111122223333', region: 'us-east-1' }, clusters: clusters(2) }], { ...meta, sweepId: 'two' });
  const t0 = performance.now();
  const baseline = parseBaseline(before, 'bench');
  const t1 = performance.now();
  const compared = compareWithBaseline(now, baseline);
  const t2 = performance.now();
  console.log(`previous report of 1000 clusters × 10 findings (${(before.length / 1024 / 1024).toFixed(1)} MiB): read ${(t1 - t0).toFixed(0)} ms, compare ${(t2 - t1).toFixed(0)} ms` +
    ` — ${compared.comparison.new.total} new, ${compared.comparison.resolved.total} resolved, ${compared.comparison.stillOpen} still open`);
}
