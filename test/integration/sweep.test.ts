import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callLog } from '../../shared/aws/calls.ts';
import { loadConfig } from '../../shared/capabilities/config.ts';
import { seedCluster } from '../../dev/local/scenario.ts';
import { isBackgroundFinding, seedProblemAccount, type ProblemAccount } from '../../dev/local/sweep-account.ts';
import type { ReportFinding, SweepReport } from '../../shared/sweep/model.ts';
import { validateSweepReport } from '../../shared/sweep/report-schema.ts';
import { runSweep } from '../../shared/sweep/run-sweep.ts';
import { useMoto } from '../support/moto.ts';
import { runCli, type CliRun } from '../support/cli.ts';

const env = useMoto({ GUARDRAILS_ENFORCE_EGRESS: 'true', GUARDRAILS_CHECK_MODES: 'control-plane-logging=enforce,nlb-rule-headroom=enforce' });

function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, { ...env.moto.env(), AWS_ACCESS_KEY_ID: 'any', AWS_SECRET_ACCESS_KEY: 'any', ...extraEnv });
}

/** Every finding with its cluster, minus the date-dependent version advisory any cluster may carry. */
function findingsOf(report: SweepReport): (ReportFinding & { cluster: string })[] {
  return report.clusters.flatMap((c) => c.findings.map((f) => ({ ...f, cluster: c.name }))).filter((f) => !isBackgroundFinding(f, f.cluster));
}

function assertNamesEachProblemOnce(report: SweepReport, account: ProblemAccount): void {
  const findings = findingsOf(report);
  for (const p of account.problems) {
    const matching = findings.filter((f) => f.id.startsWith(p.findingId));
    assert.equal(matching.length, 1, `${p.findingId} named exactly once`);
    const f = matching[0]!;
    assert.equal(f.cluster, p.cluster);
    assert.equal(f.resource.id, p.resourceId);
    assert.equal(f.severity, p.severity);
    assert.ok(f.fixHint.length > 10, 'a fix hint');
  }
  for (const name of account.healthy) assert.deepEqual(findings.filter((f) => f.cluster === name), [], `${name} has no finding`);
  // Nothing else: each seeded problem is the only finding of its cluster (beyond the exempt one).
  const expected = new Set(account.problems.map((p) => p.findingId));
  const unexpected = findings.filter((f) => !account.noisy.includes(f.cluster) && f.id !== account.exempt.findingId && ![...expected].some((id) => f.id.startsWith(id)));
  assert.deepEqual(unexpected.map((f) => f.id), []);
}

describe('sweep on moto', () => {
  it('dry-run JSON from the CLI: one document on stdout, valid, each problem named once, zero writes', async () => {
    const account = await seedProblemAccount(env.moto);
    const { code, stdout, stderr } = await cli(['sweep', '--dry-run', '--format', 'json']);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as SweepReport; // throws unless stdout is exactly one JSON document
    assert.deepEqual(validateSweepReport(report), { ok: true });
    assert.equal(report.mode, 'dry-run');
    assert.equal(report.clusters.length, new Set(account.problems.map((p) => p.cluster)).size + account.healthy.length + 1);
    assertNamesEachProblemOnce(report, account);
    assert.equal(report.calls.mutating, 0);
    assert.equal(findingsOf(report).find((f) => f.id === account.exempt.findingId)?.state, 'exempt');
    for (const p of account.problems.filter((x) => x.remediable)) {
      assert.equal(findingsOf(report).find((f) => f.id.startsWith(p.findingId))?.state, 'planned', `${p.findingId} planned, not applied`);
    }
    // Account-wide prefetch: one call per kind of inventory for all clusters; the EKS floor per cluster and node group.
    const clusters = report.clusters.length;
    for (const op of ['EKS.ListClusters', 'EC2.DescribeSecurityGroups', 'EC2.DescribeVolumes', 'EC2.DescribeSubnets', 'IAM.GetAccountAuthorizationDetails']) {
      assert.equal(report.calls.byOperation[op], 1, op);
    }
    assert.equal(report.calls.byOperation['EKS.DescribeCluster'], clusters);
    assert.equal(report.calls.byOperation['EKS.ListNodegroups'], clusters);
    // Roles come from one account-wide listing; only the noisy cluster's roles (which don't exist) are looked up one by one.
    assert.ok((report.calls.byOperation['IAM.ListAttachedRolePolicies'] ?? 0) <= account.noisy.length);
  });

  it('enforcing sweep fixes the remediable problems; the next sweep reports them fixed (passing)', async () => {
    const account = await seedProblemAccount(env.moto);
    const config = { ...loadConfig(), mode: 'enforce' as const };
    const stateOf = (report: SweepReport, p: ProblemAccount['problems'][number]) => findingsOf(report).find((x) => x.id.startsWith(p.findingId))?.state;

    const first = await runSweep({ config });
    assert.deepEqual(validateSweepReport(first), { ok: true });
    for (const p of account.problems) {
      assert.equal(stateOf(first, p), p.afterGrace ? 'pending' : p.remediable ? 'fixed' : 'open', p.findingId);
    }
    assert.equal(findingsOf(first).find((f) => f.id === account.exempt.findingId)?.state, 'exempt');
    assert.equal(findingsOf(first).filter((f) => f.state === 'fixed' && !account.noisy.includes(f.cluster)).length, account.problems.filter((p) => p.remediable && !p.afterGrace).length);

    // The NLB trimmer revokes only rules seen stale a grace period ago: let it pass, sweep again.
    await account.passGracePeriod(3600);
    const second = await runSweep({ config });
    for (const p of account.problems.filter((x) => x.afterGrace)) assert.equal(stateOf(second, p), 'fixed', p.findingId);

    callLog.reset();
    const third = await runSweep({ config });
    assert.equal(callLog.count({ mutating: true, service: 'EC2' }) + callLog.count({ mutating: true, service: 'EKS' }), 0, 'nothing left to write');
    for (const p of account.problems) {
      if (p.remediable) {
        assert.equal(stateOf(third, p), undefined, `${p.findingId} gone`);
        assert.equal(third.clusters.find((c) => c.name === p.cluster)?.checks.find((c) => c.name === p.check)?.status, 'pass');
      } else {
        assert.equal(stateOf(third, p), 'open');
      }
    }
  });

  it('--cluster, repeatable --region and --fail-on', async () => {
    await seedProblemAccount(env.moto);
    await seedCluster(env.moto, 'west-drifted', { region: 'us-west-2', withoutSelfRule: true });
    const only = await cli(['sweep', '--dry-run', '--format', 'json', '--cluster', 'healthy', '--region', 'us-east-1', '--region', 'us-west-2', '--cluster', 'west-drifted', '--fail-on', 'high']);
    assert.equal(only.code, 1, 'a high finding remains in us-west-2');
    const report = JSON.parse(only.stdout) as SweepReport;
    assert.deepEqual(report.scopes.map((s) => s.region), ['us-east-1', 'us-west-2']);
    const status = (c: SweepReport['clusters'][number]) => (c.status === 'fail' && c.findings.every((f) => isBackgroundFinding(f, c.name)) ? 'pass' : c.status);
    assert.deepEqual(report.clusters.map((c) => `${c.region}/${c.name}:${status(c)}`).sort(),
      ['us-east-1/healthy:pass', 'us-east-1/west-drifted:not-found', 'us-west-2/healthy:not-found', 'us-west-2/west-drifted:fail']);
    assert.match(only.stderr, /fail-on high: \d+ open finding/);

    const medium = await cli(['sweep', '--dry-run', '--cluster', 'healthy', '--fail-on', 'medium']);
    assert.equal(medium.code, 0, medium.stderr);
    assert.match(medium.stdout, /Clusters: 1 /);
  });

  it('--format html --output FILE writes a self-contained page and nothing on stdout', async () => {
    await seedCluster(env.moto, 'solo', { withoutSelfRule: true });
    const file = join(mkdtempSync(join(tmpdir(), 'sweep-cli-')), 'report.html');
    const out = await cli(['sweep', '--dry-run', '--format', 'html', '--output', file]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, '');
    assert.match(out.stderr, /report written to .*report\.html/);
    const html = readFileSync(file, 'utf8');
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /data-cluster="solo" data-status="fail"/);
  });

  it('a cluster that fails is reported as not swept and the others still are', async () => {
    await seedProblemAccount(env.moto);
    await env.moto.patchCluster('world-open', { status: 'CREATING' });
    const report = await runSweep({ config: { ...loadConfig(), mode: 'dry-run' } });
    const creating = report.clusters.find((c) => c.name === 'world-open');
    assert.equal(creating?.status, 'error');
    assert.match(creating?.error ?? '', /NotReady/);
    assert.equal(report.summary.clustersErrored, 1);
    assert.equal(report.clusters.filter((c) => c.status !== 'error').length, report.clusters.length - 1);
  });
});
