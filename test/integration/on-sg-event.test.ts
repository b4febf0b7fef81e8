import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DescribeSecurityGroupsCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { callLog } from '../../shared/aws/calls.ts';
import { loadSample } from '../../shared/local/samples.ts';
import { seedClients, seedCluster } from '../../shared/local/scenario.ts';
import { handler } from '../../functions/on-sg-event/handler.ts';
import type { SgEventResult } from '../../functions/on-sg-event/handler.ts';
import { invokeHandler, } from '../support/lambda.ts';
import { useMoto, withEnv } from '../support/moto.ts';

const env = useMoto();

async function selfRules(groupId: string) {
  const { ec2 } = seedClients(env.moto);
  const sg = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
  return (sg.IpPermissions ?? []).filter((p) => p.IpProtocol === '-1' && p.UserIdGroupPairs?.some((g) => g.GroupId === groupId));
}

async function driftedCluster(name = 'prod') {
  const cluster = await seedCluster(env.moto, name);
  const { ec2 } = seedClients(env.moto);
  const groupId = cluster.clusterSecurityGroupId;
  await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId }] }] }));
  callLog.reset();
  return { cluster, groupId, event: loadSample('on-sg-event/revoke-self-rule.json', { groupId, clusterName: name }) };
}

describe('on-sg-event on moto', () => {
  it('restores a revoked self rule with three AWS calls, once', async () => {
    const { groupId, event } = await driftedCluster();
    const result = await invokeHandler<SgEventResult>(handler, event);
    assert.equal(result.status, 'reconciled');
    assert.equal((await selfRules(groupId)).length, 1);
    assert.equal(callLog.count({ mutating: true, service: 'EC2' }), 1);
    assert.equal(callLog.count({ service: 'EC2' }) + callLog.count({ service: 'EKS' }), 3);
  });
});
