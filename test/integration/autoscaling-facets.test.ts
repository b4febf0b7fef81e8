import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../shared/capabilities/config.ts';
import { REGISTRY } from '../../shared/capabilities/registry.ts';
import { reconcile } from '../../shared/engine/reconcile.ts';
import { createAsg, seedManagedNodegroup } from '../../dev/local/autoscaler-scenario.ts';
import { seedCluster } from '../../dev/local/scenario.ts';
import { useMoto } from '../support/moto.ts';

const env = useMoto();

describe('autoScalingGroups facet with a prefetched hint', () => {
  it('still finds a managed node group\'s ASG that a person stripped of every cluster tag', async () => {
    const cluster = await seedCluster(env.moto, 'ml');
    // The node group names its ASG, but the ASG carries none of the tags a tag-based prefetch looks for.
    const { asgName } = await seedManagedNodegroup(env.moto, cluster, { name: 'gpu', labels: { role: 'gpu' }, withoutAsg: true });
    await createAsg(env.moto, asgName, cluster, 0, 3, { team: 'ml' });
    const result = await reconcile(
      { clusterName: 'ml', checks: ['autoscaler-discovery-tags'], trigger: { kind: 'schedule' } },
      loadConfig({ GUARDRAILS_MODE: 'dry-run' }),
      { registry: REGISTRY, hints: { autoScalingGroups: [] } },
    );
    assert.ok(result.findings.some((f) => f.resource.id === asgName), JSON.stringify(result.findings.map((f) => f.id)));
  });
});
