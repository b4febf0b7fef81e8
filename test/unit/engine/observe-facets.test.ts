import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { FACET_LOADERS } from '../../../shared/engine/facets.ts';
import { observe } from '../../../shared/engine/observe.ts';
import { config } from '../checks/compliance-fixtures.ts';

const eks = mockClient(EKSClient);
afterEach(() => eks.reset());

describe('observe', () => {
  it('fails loudly when a selected check needs a facet nobody registered a loader for', async () => {
    eks.on(DescribeClusterCommand).resolves({ cluster: { name: 'prod', status: 'ACTIVE', arn: 'arn:aws:eks:us-east-1:123456789012:cluster/prod' } });
    const saved = FACET_LOADERS.clusterVersions;
    delete FACET_LOADERS.clusterVersions;
    try {
      await assert.rejects(observe('prod', new Set(['clusterVersions']), config), /no loader registered for facet "clusterVersions"/);
    } finally {
      if (saved) FACET_LOADERS.clusterVersions = saved;
    }
  });
});
