/**
 * assembleRegistry (shared/engine/registry.ts) refuses at load time what would otherwise go wrong quietly
 * at run time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assembleRegistry } from '../../../../shared/engine/registry.ts';
import type { Capability, Check, FacetDefinition } from '../../../../shared/types/index.ts';

describe('assembleRegistry', () => {
  const noop = async (): Promise<void> => {};
  const facet = (name: string): FacetDefinition => ({ name, load: noop });
  const check = (name: string, facets: string[] = []): Check =>
    ({ name, description: name, defaultMode: 'report', facets, run: () => ({ findings: [], actions: [] }) });
  const capability = (name: string, parts: Partial<Capability> = {}): Capability =>
    ({ name, checks: [], facets: [], prefetchers: [], routes: {}, ...parts });

  const first = () => capability('first', { checks: [check('a', ['x'])], facets: [facet('x')], routes: { 'cluster-created': ['a'] } });
  const second = (parts: Partial<Capability> = {}) =>
    capability('second', { checks: [check('b', ['x', 'y'])], facets: [facet('y')], routes: { 'cluster-created': ['b'] }, ...parts });
  const catalog = ['a', 'b'];

  it('assembles hand-made capabilities: facets in capability order, routes merged (the base the refusals below change)', () => {
    const registry = assembleRegistry([first(), second()], catalog);
    assert.deepEqual(registry.checks.map((c) => c.name), ['a', 'b']);
    assert.deepEqual(registry.facetOrder, ['x', 'y']);
    assert.deepEqual(registry.routes, { 'cluster-created': ['a', 'b'] });
  });

  it('refuses a check registered twice', () => {
    assert.throws(() => assembleRegistry([first(), second({ checks: [check('b', ['y']), check('a')] })], catalog), /check "a" is registered twice \(capability second\)/);
  });

  it('refuses a check missing from the catalog', () => {
    assert.throws(() => assembleRegistry([first(), second()], ['a']), /check "b" \(capability second\) is missing from the check name catalog/);
  });

  it('refuses a check whose facet no loaded capability reads', () => {
    assert.throws(() => assembleRegistry([second()], catalog), /check "b" needs facet\(s\) x, which no loaded capability reads/);
  });

  it('refuses a route naming a check of another capability', () => {
    assert.throws(() => assembleRegistry([first(), second({ routes: { 'cluster-created': ['b', 'a'] } })], catalog), /route cluster-created of capability second names check "a", which it does not hold/);
  });

  it('refuses a facet loaded twice', () => {
    assert.throws(() => assembleRegistry([first(), second({ facets: [facet('y'), facet('x')] })], catalog), /facet "x" is loaded twice \(capability second\)/);
  });

  it('refuses a prefetcher registered twice', () => {
    const prefetcher = { name: 'p', facets: ['x'], run: noop };
    assert.throws(() => assembleRegistry([{ ...first(), prefetchers: [prefetcher] }, second({ prefetchers: [prefetcher] })], catalog), /prefetcher "p" is registered twice \(capability second\)/);
  });
});
