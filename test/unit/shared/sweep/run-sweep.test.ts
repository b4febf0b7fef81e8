import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { DescribeClusterCommand, EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { sdkClients } from '../../../../shared/aws/client.ts';
import { loadConfig } from '../../../../shared/capabilities/config.ts';
import { runSweep } from '../../../../shared/sweep/run-sweep.ts';
import type { Check } from '../../../../shared/types/index.ts';
import { registryOf } from '../../../support/registry.ts';

const noop: Check = { name: 'noop', description: 'reads the cluster only', defaultMode: 'report', facets: [], run: () => ({ findings: [], actions: [] }) };
const cluster = (name: string) => ({ cluster: { name, arn: `arn:aws:eks:us-east-1:111122223333:cluster/${name}`, status: 'ACTIVE' as const } });
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
const fast = { attempts: 4, baseMs: 1, maxMs: 5 };

describe('sweep under throttling (aws-sdk-client-mock)', () => {
  const eks = mockClient(EKSClient);
  afterEach(() => { eks.reset(); sdkClients.clear(); });

  it('backs off and retries a throttled cluster; every cluster is swept', async () => {
    sdkClients.clear();
    eks.on(ListClustersCommand).resolves({ clusters: ['a', 'b', 'c'] });
    eks.on(DescribeClusterCommand, { name: 'a' }).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves(cluster('a'));
    eks.on(DescribeClusterCommand, { name: 'b' }).resolves(cluster('b'));
    eks.on(DescribeClusterCommand, { name: 'c' }).resolves(cluster('c'));
    const report = await runSweep({ config: { ...loadConfig({}), mode: 'dry-run' }, registry: registryOf([noop]), backoff: fast, concurrency: 3 });
    assert.deepEqual(report.clusters.map((c) => `${c.name}:${c.status}`), ['a:pass', 'b:pass', 'c:pass']);
    assert.equal(eks.commandCalls(DescribeClusterCommand, { name: 'a' }).length, 3);
  });

  it('a cluster still throttled after every attempt is reported as not swept; access denied is not retried', async () => {
    sdkClients.clear();
    eks.on(ListClustersCommand).resolves({ clusters: ['a', 'b'] });
    eks.on(DescribeClusterCommand, { name: 'a' }).rejects(throttled());
    eks.on(DescribeClusterCommand, { name: 'b' }).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const report = await runSweep({ config: { ...loadConfig({}), mode: 'dry-run' }, registry: registryOf([noop]), backoff: fast });
    assert.deepEqual(report.clusters.map((c) => `${c.name}:${c.status}`), ['a:error', 'b:error']);
    assert.match(report.clusters[0]!.error!, /^ThrottlingException/);
    assert.equal(eks.commandCalls(DescribeClusterCommand, { name: 'a' }).length, fast.attempts);
    assert.equal(eks.commandCalls(DescribeClusterCommand, { name: 'b' }).length, 1);
    assert.equal(report.summary.clustersErrored, 2);
  });
});
