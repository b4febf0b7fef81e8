import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { lambdaContext } from '../../../../dev/cli/lambda-context.ts';
import { lambdaHandler } from '../../../../shared/lambda/handler.ts';
import { publishPoints } from '../../../../shared/lambda/metrics.ts';
import { tally } from '../../../../shared/metrics/tally.ts';
import { withEnv } from '../../../support/moto.ts';
import { captureOutput, jsonLines } from '../../../support/output.ts';

/** Runs fn; returns what it wrote to stdout (EMF objects) and to stderr. */
async function capture(fn: () => Promise<unknown>): Promise<{ emf: Record<string, any>[]; stderr: string; error?: unknown }> {
  const { stdout, stderr, error } = await captureOutput(fn);
  return { emf: jsonLines(stdout), stderr, error };
}

// AWS_LAMBDA_INITIALIZATION_TYPE is set by the Lambda runtime; Powertools counts a cold start only when it says on-demand.
const ON = { POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_METRICS_NAMESPACE: 'TestNs', POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' };

describe('publishPoints', () => {
  it('writes one EMF object per dimension value; metrics without one share an object; remediations get the service rollup', async () => {
    const { emf } = await withEnv(ON, () => capture(async () => publishPoints(new Metrics({ namespace: 'TestNs', serviceName: 'on-sg-event' }), [
      { metric: 'RemediationsApplied', value: 2, dimension: 'cluster-sg-baseline' },
      { metric: 'RemediationsFailed', value: 1, dimension: 'cluster-sg-baseline' },
      { metric: 'RemediationsApplied', value: 1, dimension: 'nlb-rule-headroom' },
      { metric: 'Findings', value: 3, dimension: 'high' },
      { metric: 'NlbRulesTrimmed', value: 4 },
      { metric: 'SlackPosts', value: 1 },
    ])));
    const shape = emf.map((o) => ({
      dims: o._aws.CloudWatchMetrics[0].Dimensions,
      values: Object.fromEntries(o._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string; Unit: string }) => [m.Name, `${o[m.Name]} ${m.Unit}`])),
      check: o.check, severity: o.severity, service: o.service, ns: o._aws.CloudWatchMetrics[0].Namespace,
    }));
    assert.deepEqual(shape, [
      { dims: [['service', 'check'], ['service']], values: { RemediationsApplied: '2 Count', RemediationsFailed: '1 Count' }, check: 'cluster-sg-baseline', severity: undefined, service: 'on-sg-event', ns: 'TestNs' },
      { dims: [['service', 'check'], ['service']], values: { RemediationsApplied: '1 Count' }, check: 'nlb-rule-headroom', severity: undefined, service: 'on-sg-event', ns: 'TestNs' },
      { dims: [['service', 'severity']], values: { Findings: '3 Count' }, check: undefined, severity: 'high', service: 'on-sg-event', ns: 'TestNs' },
      { dims: [['service']], values: { NlbRulesTrimmed: '4 Count', SlackPosts: '1 Count' }, check: undefined, severity: undefined, service: 'on-sg-event', ns: 'TestNs' },
    ]);
  });
});

describe('lambdaHandler metrics middleware', () => {
  it('emits what the invocation counted even when it fails, ColdStart once, and nothing (no warning either) when nothing was counted', async () => {
    let fail = true;
    const handler = lambdaHandler('unit-fn', async (event: unknown) => {
      if ((event as { count?: boolean }).count) tally.count('RemediationsFailed', 1, 'cluster-sg-baseline');
      if (fail) throw new Error('remediation failed');
      return { status: 'reconciled' };
    });
    await withEnv(ON, async () => {
      const first = await capture(() => handler({ count: true }, lambdaContext('unit-fn')));
      assert.match(String(first.error), /remediation failed/);
      assert.deepEqual(first.emf.map((o) => [o.service, o._aws.CloudWatchMetrics[0].Metrics[0].Name, o.ColdStart ?? o.RemediationsFailed]), [['unit-fn', 'ColdStart', 1], ['unit-fn', 'RemediationsFailed', 1]]);
      fail = false;
      const quiet = await capture(() => handler({ count: false }, lambdaContext('unit-fn')));
      assert.equal(quiet.error, undefined);
      assert.deepEqual(quiet.emf, []);
      assert.equal(quiet.stderr, '');
    });
  });

  it('counts an ignored result by the kind of its reason', async () => {
    const handler = lambdaHandler('unit-ignore', async () => ({ status: 'ignored', reason: 'failed call (Client.UnauthorizedOperation)' }));
    const { emf } = await withEnv(ON, () => capture(() => handler({}, lambdaContext('unit-ignore'))));
    const ignored = emf.find((o) => 'EventsIgnored' in o);
    assert.equal(ignored?.reason, 'failed-call');
    assert.equal(ignored?.EventsIgnored, 1);
  });

  it('writes nothing when POWERTOOLS_METRICS_DISABLED=true', async () => {
    const handler = lambdaHandler('unit-off', async () => {
      tally.count('SlackPosts');
      return {};
    });
    const { emf } = await withEnv({ ...ON, POWERTOOLS_METRICS_DISABLED: 'true' }, () => capture(() => handler({}, lambdaContext('unit-off'))));
    assert.deepEqual(emf, []);
  });

  it('a failure to write metrics never fails the invocation (it would repeat the work)', async (t) => {
    t.mock.method(Metrics.prototype, 'publishStoredMetrics', () => { throw new Error('EMF broke'); });
    const handler = lambdaHandler('unit-broken', async () => {
      tally.count('RemediationsApplied', 1, 'cluster-sg-baseline');
      return { status: 'reconciled' };
    });
    const { error } = await withEnv(ON, () => capture(async () => assert.deepEqual(await handler({}, lambdaContext('unit-broken')), { status: 'reconciled' })));
    assert.equal(error, undefined);
  });
});
