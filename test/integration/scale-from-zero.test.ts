import assert from 'node:assert/strict';
import { REGISTRY } from '../../shared/capabilities/registry.ts';
import { describe, it } from 'node:test';
import { callLog } from '../../shared/aws/calls.ts';
import { loadConfig } from '../../shared/capabilities/config.ts';
import { reconcile } from '../../shared/engine/reconcile.ts';
import { asgTags } from '../../dev/local/autoscaler-scenario.ts';
import { seedComplianceCluster } from '../../dev/local/compliance-scenario.ts';
import { seedZeroGroups } from '../../dev/local/zero-scenario.ts';
import { useMoto } from '../support/moto.ts';
import { containerCaches } from '../../shared/state/cache.ts';

const env = useMoto();
const C = 'scale-from-zero-readiness';
const sweep = { kind: 'schedule' as const };

async function seed(name: string, healthy: boolean) {
  const cluster = await seedComplianceCluster(env.moto, name);
  const asgs = await seedZeroGroups(env.moto, cluster, healthy, cluster.nodeRoleArn);
  return { cluster, asgs };
}

describe('scale-from-zero readiness on moto', () => {
  it('finds what cluster-autoscaler 1.36 gets wrong about each group at zero nodes, and writes nothing', async () => {
    const { asgs } = await seed('zero', false);
    callLog.reset();
    const result = await reconcile({ clusterName: 'zero', trigger: sweep }, loadConfig({ GUARDRAILS_MODE: 'dry-run' }), { registry: REGISTRY });
    const mine = result.findings.filter((f) => f.check === C);
    assert.deepEqual(mine.map((f) => f.id).sort(), [
      `${C}:${asgs.batch}:label-overridden:role`,
      `${C}:${asgs.dedicated}:valueless-taint:dedicated`,
      `${C}:${asgs.inferentia}:neuron`,
      `${C}:${asgs['lt-disk']}:ephemeral-storage`,
      `${C}:${asgs.windows}:windows`,
    ].sort());
    for (const f of mine) {
      assert.equal(f.evidence.readsEksApi, true, `${f.id}: CA 1.36 reads DescribeNodegroup for an EKS-tagged ASG`);
      assert.ok(f.fixHint.length > 20);
    }
    // The writer leaves the person's eksctl-style taint tag alone and says so; nothing else from it.
    assert.deepEqual(result.findings.filter((f) => f.check === 'autoscaler-node-template-tags').map((f) => f.id),
      [`autoscaler-node-template-tags:${asgs.dedicated}:conflict:k8s.io/cluster-autoscaler/node-template/taint/dedicated`]);
    assert.equal(callLog.count({ mutating: true }), 0);
    assert.deepEqual(result.actions.filter((a) => a.action.check === C), [], 'report only');
  });

  it('passes the healthy twin (each group advertises what CA cannot infer)', async () => {
    await seed('zero-ok', true);
    const result = await reconcile({ clusterName: 'zero-ok', trigger: sweep }, loadConfig({ GUARDRAILS_MODE: 'dry-run' }), { registry: REGISTRY });
    assert.ok(result.checks.includes(C));
    assert.deepEqual(result.findings.filter((f) => f.check === C || f.check.startsWith('autoscaler-')).map((f) => f.id), []);
  });

  it('adds no AWS call: the same sweep with the check off makes the same calls', async () => {
    await seed('zero', false);
    const count = async (modes: string) => {
      containerCaches.clear(); // both runs cold: a quota one run cached would not count against the other
      callLog.reset();
      await reconcile({ clusterName: 'zero', trigger: sweep }, loadConfig({ GUARDRAILS_MODE: 'dry-run', GUARDRAILS_CHECK_MODES: modes }), { registry: REGISTRY });
      return callLog.count({});
    };
    const on = await count(`${C}=report`);
    const off = await count(`${C}=off`);
    assert.equal(on, off);
  });

  it('an older CA changes the answer: 1.23 never reads the API, so the overridden label is no finding and the writer wants labels', async () => {
    const { asgs } = await seed('zero-old', false);
    const result = await reconcile({ clusterName: 'zero-old', trigger: sweep }, loadConfig({ GUARDRAILS_MODE: 'dry-run', GUARDRAILS_CLUSTER_AUTOSCALER_VERSION: '1.23' }), { registry: REGISTRY });
    const mine = result.findings.filter((f) => f.check === C).map((f) => f.id);
    assert.ok(!mine.some((id) => id.includes('label-overridden')));
    assert.ok(mine.includes(`${C}:${asgs.windows}:windows`));
    // The person's `label/role=web` is now a conflict with the node group's role=batch (CA 1.23 reads only the tag).
    assert.ok(result.findings.some((f) => f.id === `autoscaler-node-template-tags:${asgs.batch}:conflict:k8s.io/cluster-autoscaler/node-template/label/role`));
  });

  it('enforcing, with CA 1.36, the writer puts on the ASG only what the EKS API does not give', async () => {
    const cluster = await seedComplianceCluster(env.moto, 'zero-write');
    const { seedManagedNodegroup } = await import('../../dev/local/autoscaler-scenario.ts');
    const { asgName } = await seedManagedNodegroup(env.moto, { ...cluster, subnetIds: [cluster.subnetIds[0]!] }, {
      name: 'gpu', labels: { workload: 'gpu' }, diskSize: 100,
      taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }, { key: 'reserved', effect: 'NO_EXECUTE' }],
    });
    await reconcile({ clusterName: 'zero-write', trigger: sweep }, loadConfig({}), { registry: REGISTRY });
    const template = (await asgTags(env.moto, asgName)).filter((t) => t.key.startsWith('k8s.io/cluster-autoscaler/node-template/')).map((t) => `${t.key.slice(40)}=${t.value}`);
    assert.deepEqual(template, ['resources/ephemeral-storage=100Gi', 'taint/reserved=:NoExecute']);
  });
});
