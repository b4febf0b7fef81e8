import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { AccessDeniedException, DescribeClusterCommand, EKSClient, ResourceInUseException, UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { enableClusterLogging } from '../../../../shared/aws/eks-logging.ts';

const eks = mockClient(EKSClient);
afterEach(() => eks.reset());

function clusterWith(enabled: string[]) {
  return { cluster: { name: 'prod', status: 'ACTIVE' as const, logging: { clusterLogging: [{ types: enabled as never, enabled: true }] } } };
}

describe('enableClusterLogging', () => {
  it('sends the whole enabled set plus what is missing', async () => {
    eks.on(DescribeClusterCommand).resolves(clusterWith(['api']));
    eks.on(UpdateClusterConfigCommand).resolves({});
    assert.equal(await enableClusterLogging('prod', ['audit', 'authenticator']), 'applied');
    assert.deepEqual(eks.commandCalls(UpdateClusterConfigCommand)[0]!.args[0].input, {
      name: 'prod', logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator'], enabled: true }] },
    });
  });

  it('writes nothing when the types were enabled since the plan', async () => {
    eks.on(DescribeClusterCommand).resolves(clusterWith(['api', 'audit', 'authenticator']));
    assert.equal(await enableClusterLogging('prod', ['audit']), 'already-done');
    assert.equal(eks.commandCalls(UpdateClusterConfigCommand).length, 0);
  });

  it('explains an update already in progress instead of retrying into it', async () => {
    eks.on(DescribeClusterCommand).resolves(clusterWith([]));
    eks.on(UpdateClusterConfigCommand).rejects(new ResourceInUseException({ message: 'update in progress', $metadata: {} }));
    await assert.rejects(enableClusterLogging('prod', ['audit']), (err: Error) => err.name === 'ClusterUpdateInProgress' && /later sweep/.test(err.message));
  });

  it('names the switch that grants eks:UpdateClusterConfig when IAM refuses it (off by default)', async () => {
    eks.on(DescribeClusterCommand).resolves(clusterWith([]));
    eks.on(UpdateClusterConfigCommand).rejects(new AccessDeniedException({ message: 'not authorized to perform: eks:UpdateClusterConfig', $metadata: {} }));
    await assert.rejects(enableClusterLogging('prod', ['audit']), (err: Error) =>
      err.name === 'ClusterConfigUpdatesNotAllowed' && /SweepEnableClusterLogging=true/.test(err.message) && /AllowClusterConfigUpdates=true/.test(err.message));
  });
});
