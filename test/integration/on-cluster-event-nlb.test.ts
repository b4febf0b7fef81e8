import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthorizeSecurityGroupIngressCommand, CreateManagedPrefixListCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { callLog } from '../../shared/aws/calls.ts';
import { ec2Client } from '../../shared/aws/ec2.ts';
import { loadSample } from '../../dev/local/samples.ts';
import { seedClients, seedCluster } from '../../dev/local/scenario.ts';
import { handler, type ClusterEventResult } from '../../functions/on-cluster-event/handler.ts';
import { invokeHandler } from '../support/lambda.ts';
import { useMoto } from '../support/moto.ts';

const env = useMoto({ GUARDRAILS_CHECK_MODES: 'nlb-rule-headroom=enforce' });

type Stack = { add: (mw: unknown, o: object) => void; remove: (name: string) => boolean };

/** The function's role lacks ec2:DescribeManagedPrefixLists, as on-cluster-event's does: EC2 answers UnauthorizedOperation. */
async function withoutPrefixListRead<T>(fn: () => Promise<T>): Promise<T> {
  const stack = ec2Client().middlewareStack as unknown as Stack;
  stack.add((next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    if (context.commandName === 'DescribeManagedPrefixListsCommand') {
      throw Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403 } });
    }
    return next(args);
  }, { step: 'initialize', name: 'denyPrefixLists' });
  try {
    return await fn();
  } finally {
    stack.remove('denyPrefixLists');
  }
}

describe('on-cluster-event with a role that cannot read prefix lists', () => {
  it('the NLB check fails closed for the group (could not count, nothing planned); the baseline repair still runs', async () => {
    const cluster = await seedCluster(env.moto, 'prod', { withoutSelfRule: true });
    const { ec2 } = seedClients(env.moto);
    const pl = await ec2.send(new CreateManagedPrefixListCommand({ PrefixListName: 'office', AddressFamily: 'IPv4', MaxEntries: 20, Entries: [{ Cidr: '203.0.113.0/24' }] }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: cluster.clusterSecurityGroupId, IpPermissions: [
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: pl.PrefixList!.PrefixListId!, Description: 'office' }] },
    ] }));
    callLog.reset();
    const result = await withoutPrefixListRead(() => invokeHandler<ClusterEventResult>(handler, loadSample('on-cluster-event/create-cluster.json')));
    assert.equal(result.status, 'reconciled');
    assert.ok(result.status === 'reconciled');
    const r = result.results[0]!;
    const nlb = r.findings.filter((f) => f.check === 'nlb-rule-headroom');
    assert.deepEqual(nlb.map((f) => f.id), [`nlb-rule-headroom:${cluster.clusterSecurityGroupId}:could-not-count`]);
    assert.match(String(nlb[0]!.evidence.reason), /^DescribeManagedPrefixLists failed \(UnauthorizedOperation/);
    assert.deepEqual(r.actions.filter((a) => a.action.check === 'nlb-rule-headroom'), []);
    assert.equal(callLog.count({ service: 'ElasticLoadBalancingV2' }), 0, 'no lookup for a group that could not be counted');
    // The other checks ran: the baseline repair put the self rule back.
    assert.ok(r.actions.some((a) => a.action.check === 'cluster-sg-baseline' && a.status === 'applied'));
    const sg = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [cluster.clusterSecurityGroupId] }))).SecurityGroups![0]!;
    assert.ok((sg.IpPermissions ?? []).some((p) => p.IpProtocol === '-1' && p.UserIdGroupPairs?.some((g) => g.GroupId === cluster.clusterSecurityGroupId)));
  });
});
