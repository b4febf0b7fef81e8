import assert from 'node:assert/strict';
import { REGISTRY } from '../../shared/capabilities/registry.ts';
import { describe, it } from 'node:test';
import { callLog } from '../../shared/aws/calls.ts';
import { describeClusterInstances } from '../../shared/aws/ec2-instances.ts';
import { loadConfig } from '../../shared/capabilities/config.ts';
import { reconcile } from '../../shared/engine/reconcile.ts';
import { seedNodeSecurityGroup, seedNodes } from '../../dev/local/nlb-preflight-scenario.ts';
import { seedCluster } from '../../dev/local/scenario.ts';
import type { LoadBalancerHeadroom } from '../../shared/capabilities/compliance/nlb-preflight.ts';
import { useMoto } from '../support/moto.ts';

const env = useMoto();
const CHECK = 'nlb-preflight';
const sweep = { kind: 'schedule' as const };
const dryRun = loadConfig({ GUARDRAILS_MODE: 'dry-run' });
const run = (clusterName: string, hints = {}) => reconcile({ clusterName, checks: [CHECK], trigger: sweep }, dryRun, { registry: REGISTRY, hints });

describe('nlb-preflight on moto', () => {
  it('passes the healthy twin: nodes carry the tagged cluster SG and an untagged node SG; reports the room per tagged group', async () => {
    const c = await seedCluster(env.moto, 'good');
    const node = await seedNodeSecurityGroup(env.moto, c, false);
    await seedNodes(env.moto, c, 2, [c.clusterSecurityGroupId, node]);
    const result = await run('good');
    assert.deepEqual(result.checks, [CHECK]);
    assert.deepEqual(result.findings, []);
    const headroom = result.facts?.[CHECK]?.loadBalancerHeadroom as LoadBalancerHeadroom[];
    // The cluster SG holds its self rule: 1 of moto's 60, so 19 more single-port Services at 3 rules each.
    assert.deepEqual(headroom.map((h) => [h.groupId, h.ingressRulesUsed, h.quota, h.servicesThatFit]), [[c.clusterSecurityGroupId, 1, 60, 19]]);
  });

  it('finds nodes carrying two groups tagged for the cluster: one high finding naming the instances and groups, with the fix', async () => {
    const c = await seedCluster(env.moto, 'twice');
    const node = await seedNodeSecurityGroup(env.moto, c, true);
    const instances = await seedNodes(env.moto, c, 3, [c.clusterSecurityGroupId, node]);
    // A node of another cluster with the same groups is not this cluster's problem.
    const other = await seedCluster(env.moto, 'other');
    await seedNodes(env.moto, other, 1, [other.clusterSecurityGroupId]);
    callLog.reset();
    const result = await run('twice');
    assert.deepEqual(result.findings.map((f) => [f.id, f.severity, f.resource.type]), [['nlb-preflight:twice:multiple-tagged-groups', 'high', 'cluster']]);
    const f = result.findings[0]!;
    for (const id of [...instances, c.clusterSecurityGroupId, node]) assert.ok(f.title.includes(id), `title names ${id}`);
    assert.equal(f.evidence.instanceCount, 3);
    // Keep the tag on EKS's cluster SG, remove it from the other.
    assert.equal(f.evidence.keep, c.clusterSecurityGroupId);
    assert.match(f.fixHint, new RegExp(`delete-tags --resources ${node} --tags Key=kubernetes.io/cluster/twice`));
    assert.doesNotMatch(f.fixHint, new RegExp(`--resources ${c.clusterSecurityGroupId}`));
    const headroom = result.facts?.[CHECK]?.loadBalancerHeadroom as LoadBalancerHeadroom[];
    assert.deepEqual(headroom.map((h) => h.groupId).sort(), [c.clusterSecurityGroupId, node].sort());
    // Two filtered instance listings (by cluster tag and by EKS's tag) and the quota; nothing written.
    assert.equal(callLog.count({ operation: 'DescribeInstances' }), 2);
    assert.equal(callLog.count({ mutating: true }), 0);
  });

  it('lists at most ten instances and counts the rest', async () => {
    const c = await seedCluster(env.moto, 'many');
    const node = await seedNodeSecurityGroup(env.moto, c, true);
    await seedNodes(env.moto, c, 12, [c.clusterSecurityGroupId, node]);
    const f = (await run('many')).findings[0]!;
    assert.equal((f.evidence.instances as unknown[]).length, 10);
    assert.equal(f.evidence.instancesNotListed, 2);
    assert.match(f.title, /and 2 more/);
  });

  it('in a sweep, one account-wide instance listing serves every cluster', async () => {
    for (const name of ['a', 'b', 'c']) {
      const c = await seedCluster(env.moto, name);
      await seedNodes(env.moto, c, 2, [c.clusterSecurityGroupId]);
    }
    callLog.reset();
    const hints = { extra: { clusterInstances: await describeClusterInstances(['a', 'b', 'c']) } };
    for (const name of ['a', 'b', 'c']) assert.deepEqual((await run(name, hints)).findings, []);
    assert.equal(callLog.count({ operation: 'DescribeInstances' }), 2);
  });

  it('stays off the event path', async () => {
    const c = await seedCluster(env.moto, 'evt');
    const node = await seedNodeSecurityGroup(env.moto, c, true);
    await seedNodes(env.moto, c, 1, [c.clusterSecurityGroupId, node]);
    callLog.reset();
    const result = await reconcile({ clusterName: 'evt', trigger: { kind: 'cloudtrail' } }, dryRun, { registry: REGISTRY });
    assert.ok(!result.checks.includes(CHECK));
    assert.equal(callLog.count({ operation: 'DescribeInstances' }), 0);
  });
});
