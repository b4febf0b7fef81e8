/**
 * The two registries a function can load (shared/capabilities/registry.ts for the sweep and CLI,
 * event-registry.ts for the event functions) agree.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_REGISTRY } from '../../../../shared/capabilities/event-registry.ts';
import { CHECK_NAMES } from '../../../../shared/capabilities/names.ts';
import { REGISTRY } from '../../../../shared/capabilities/registry.ts';

describe('REGISTRY and EVENT_REGISTRY', () => {
  it('the event registry holds exactly the capabilities with a route, in REGISTRY\'s order', () => {
    const routed = REGISTRY.capabilities.filter((c) => Object.values(c.routes).some((names) => names.length > 0));
    assert.deepEqual(EVENT_REGISTRY.capabilities.map((c) => c.name), routed.map((c) => c.name));
    EVENT_REGISTRY.capabilities.forEach((c, i) => assert.equal(c, routed[i], `${c.name}: not the object REGISTRY loads`));
  });

  it('every check that runs on events (triggers include event, or none given) is in the event registry', () => {
    const missing = REGISTRY.checks
      .filter((c) => c.triggers === undefined || c.triggers.includes('event'))
      .filter((c) => !EVENT_REGISTRY.checks.includes(c))
      .map((c) => c.name);
    assert.deepEqual(missing, [], `event checks the event functions do not load: ${missing.join(', ')}`);
  });

  it('REGISTRY\'s checks are exactly CHECK_NAMES, and both registries validate against that catalog', () => {
    const names = REGISTRY.checks.map((c) => c.name);
    assert.deepEqual(names.filter((n) => !CHECK_NAMES.includes(n)), [], 'checks missing from CHECK_NAMES');
    assert.deepEqual(CHECK_NAMES.filter((n) => !names.includes(n)), [], 'CHECK_NAMES with no check in REGISTRY');
    assert.equal(new Set(CHECK_NAMES).size, CHECK_NAMES.length, 'CHECK_NAMES lists a name twice');
    assert.equal(REGISTRY.checkNames, CHECK_NAMES);
    assert.equal(EVENT_REGISTRY.checkNames, CHECK_NAMES);
  });

  it('REGISTRY reads facets in the event registry\'s order first (an event reconcile observes as a sweep does)', () => {
    assert.deepEqual(REGISTRY.facetOrder.slice(0, EVENT_REGISTRY.facetOrder.length), EVENT_REGISTRY.facetOrder);
  });

  it('every route names checks of its own capability', () => {
    const foreign = REGISTRY.capabilities.flatMap((c) => Object.entries(c.routes).flatMap(([route, names]) =>
      names.filter((n) => !c.checks.some((check) => check.name === n)).map((n) => `${c.name} ${route}: ${n}`)));
    assert.deepEqual(foreign, [], `routes naming checks their capability does not hold:\n  ${foreign.join('\n  ')}`);
  });
});
