import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrailEvent } from '../../../../shared/events/cloudtrail.ts';
import { clusterNameOf, routeClusterEvent } from '../../../../shared/events/cluster-event.ts';
import { loadSample } from '../../../../dev/local/samples.ts';

const parse = (path: string) => parseCloudTrailEvent(loadSample(path));

describe('cluster events', () => {
  it('reads the cluster name of EKS calls, URL-decoded, old and new forms', () => {
    assert.equal(clusterNameOf(parse('on-cluster-event/create-cluster.json')), 'prod');
    const old = loadSample('on-cluster-event/create-cluster.json') as { detail: { requestParameters: Record<string, unknown>; responseElements: unknown } };
    old.detail.requestParameters = { clusterName: 'team%2Da' };
    old.detail.responseElements = null;
    assert.equal(clusterNameOf(parseCloudTrailEvent(old)), 'team-a');
  });

  it('routes EKS calls: a node group call to nodegroup-changed, CreateCluster to cluster-created; own and failed calls nowhere', () => {
    assert.deepEqual(routeClusterEvent(parse('on-cluster-event/create-cluster.json'), []), { kind: 'route', route: 'cluster-created', clusterName: 'prod' });
    assert.deepEqual(routeClusterEvent(parse('on-cluster-event/update-nodegroup-config.json'), []), { kind: 'route', route: 'nodegroup-changed', clusterName: 'prod', nodegroupName: 'gpu' });
    const admin = 'arn:aws:iam::123456789012:role/PlatformAdmin';
    assert.deepEqual(routeClusterEvent(parse('on-cluster-event/create-nodegroup.json'), [admin]), { kind: 'ignored', reason: 'our own change' });
    const failed = loadSample('on-cluster-event/create-cluster.json') as { detail: Record<string, unknown> };
    failed.detail.errorCode = 'ResourceInUseException';
    assert.deepEqual(routeClusterEvent(parseCloudTrailEvent(failed), []), { kind: 'ignored', reason: 'failed call (ResourceInUseException)' });
    const nameless = loadSample('on-cluster-event/create-cluster.json') as { detail: Record<string, unknown> };
    nameless.detail.requestParameters = {};
    nameless.detail.responseElements = null;
    assert.throws(() => routeClusterEvent(parseCloudTrailEvent(nameless), []), /names no cluster/);
  });
});
