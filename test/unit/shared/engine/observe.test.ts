import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { observe } from '../../../../shared/engine/observe.ts';
import { config } from '../../../support/compliance-fixtures.ts';

const eks = mockClient(EKSClient);
afterEach(() => eks.reset());

describe('observe', () => {
  it('fails loudly when a selected check needs a facet nobody registered a loader for', async () => {
    eks.on(DescribeClusterCommand).resolves({ cluster: { name: 'prod', status: 'ACTIVE', arn: 'arn:aws:eks:us-east-1:123456789012:cluster/prod' } });
    const withoutVersions = { facetOrder: ['iamRoles'], loaders: new Map([['iamRoles', async () => undefined]]) };
    await assert.rejects(observe('prod', new Set(['clusterVersions']), config, withoutVersions), /no loader registered for facet\(s\) clusterVersions/);
  });
});
