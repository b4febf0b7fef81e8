import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrailEvent } from '../../../../shared/events/cloudtrail.ts';
import { clusterNameOf } from '../../../../shared/events/cluster-event.ts';
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
});
