import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../shared/config/load.ts';
import type { ObserveHints } from '../../../shared/engine/facets.ts';
import { prefetch, prefetchersFor, registerPrefetcher } from '../../../shared/engine/prefetch.ts';
import '../../../shared/capabilities/nlb-headroom/prefetch.ts';

describe('prefetch registry', () => {
  it('runs each prefetcher once for all the facets it serves, dependencies first', () => {
    const names = prefetchersFor(['securityGroupRuleIds', 'clusterTaggedSecurityGroups', 'clusterSecurityGroup']).map((p) => p.name);
    assert.deepEqual(names, ['security-groups', 'security-group-rules']);
    assert.deepEqual(prefetchersFor(['vpc']).map((p) => p.name), ['security-groups', 'vpcs']);
    assert.deepEqual(prefetchersFor([]), []);
  });

  it('lets a capability plug in its own prefetcher by facet', async () => {
    const seen: string[][] = [];
    registerPrefetcher(['ebsVolumes'], { name: 'test-volumes', async run({ clusterNames, hints }) { seen.push([...clusterNames]); hints.extra = { ...hints.extra, ebsVolumes: ['vol-1'] }; } });
    const hints = {} as { extra?: Record<string, unknown> };
    const { ran } = await prefetch(['ebsVolumes'], { clusterNames: ['a', 'b'], config: loadConfig({}), hints });
    assert.ok(ran.includes('test-volumes'));
    assert.deepEqual(seen, [['a', 'b']]);
    assert.deepEqual(hints.extra, { ebsVolumes: ['vol-1'] });
  });

  it('a failing prefetcher sets no hints and skips its dependants; the others still run', async () => {
    registerPrefetcher(['nodegroups'], { name: 'test-broken', async run() { throw Object.assign(new Error('no'), { name: 'AccessDenied' }); } });
    registerPrefetcher(['nodegroups'], { name: 'test-dependant', after: ['test-broken'], async run({ hints }) { hints.extra = { dependant: true }; } });
    registerPrefetcher(['nodegroups'], { name: 'test-fine', async run({ hints }) { hints.autoScalingGroups = []; } });
    const hints: ObserveHints = {};
    const out = await prefetch(['nodegroups'], { clusterNames: ['a'], config: loadConfig({}), hints });
    assert.deepEqual(out.ran, ['test-fine']);
    assert.deepEqual(out.failed.map((f) => f.name), ['test-broken', 'test-dependant']);
    assert.equal(hints.extra, undefined);
    assert.deepEqual(hints.autoScalingGroups, []);
  });
});
