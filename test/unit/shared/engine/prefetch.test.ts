import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../../shared/capabilities/config.ts';
import { REGISTRY } from '../../../../shared/capabilities/registry.ts';
import { prefetch, prefetchersFor } from '../../../../shared/engine/prefetch.ts';
import type { ObserveHints, Prefetcher } from '../../../../shared/types/index.ts';

describe('prefetch', () => {
  it('runs each prefetcher once for all the facets it serves, dependencies first', () => {
    const names = prefetchersFor(['securityGroupRuleIds', 'clusterTaggedSecurityGroups', 'clusterSecurityGroup'], REGISTRY.prefetchers).map((p) => p.name);
    assert.deepEqual(names, ['security-groups', 'security-group-rules']);
    assert.deepEqual(prefetchersFor(['vpc'], REGISTRY.prefetchers).map((p) => p.name), ['security-groups', 'vpcs']);
    assert.deepEqual(prefetchersFor([], REGISTRY.prefetchers), []);
  });

  it('runs a capability\'s own prefetcher for the facets it declares', async () => {
    const seen: string[][] = [];
    const volumes: Prefetcher = { name: 'test-volumes', facets: ['ebsVolumes'], async run({ clusterNames, hints }) { seen.push([...clusterNames]); hints.extra = { ...hints.extra, ebsVolumes: ['vol-1'] }; } };
    const hints = {} as { extra?: Record<string, unknown> };
    const { ran } = await prefetch(['ebsVolumes'], [volumes], { clusterNames: ['a', 'b'], config: loadConfig({}), hints });
    assert.ok(ran.includes('test-volumes'));
    assert.deepEqual(seen, [['a', 'b']]);
    assert.deepEqual(hints.extra, { ebsVolumes: ['vol-1'] });
  });

  it('a failing prefetcher sets no hints and skips its dependants; the others still run', async () => {
    const prefetchers: Prefetcher[] = [
      { name: 'test-broken', facets: ['nodegroups'], async run() { throw Object.assign(new Error('no'), { name: 'AccessDenied' }); } },
      { name: 'test-dependant', facets: ['nodegroups'], after: ['test-broken'], async run({ hints }) { hints.extra = { dependant: true }; } },
      { name: 'test-fine', facets: ['nodegroups'], async run({ hints }) { hints.autoScalingGroups = []; } },
    ];
    const hints: ObserveHints = {};
    const out = await prefetch(['nodegroups'], prefetchers, { clusterNames: ['a'], config: loadConfig({}), hints });
    assert.deepEqual(out.ran, ['test-fine']);
    assert.deepEqual(out.failed.map((f) => f.name), ['test-broken', 'test-dependant']);
    assert.equal(hints.extra, undefined);
    assert.deepEqual(hints.autoScalingGroups, []);
  });
});
