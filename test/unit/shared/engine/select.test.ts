import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REGISTRY } from '../../../../shared/capabilities/registry.ts';
import { runsOn, selectChecks, triggerClass } from '../../../../shared/engine/select.ts';
import type { Check } from '../../../../shared/types/index.ts';
import { config } from '../../../support/compliance-fixtures.ts';

const noop = { findings: [], actions: [] };
const everywhere: Check = { name: 'everywhere', description: '', defaultMode: 'report', facets: [], run: () => noop };
const sweepOnly: Check = { name: 'sweep-only', description: '', defaultMode: 'report', facets: [], triggers: ['sweep'], run: () => noop };
const registry = [everywhere, sweepOnly];

describe('check triggers', () => {
  it('maps trigger kinds to event or sweep', () => {
    assert.deepEqual(['cloudtrail', 'native-event', 'retry', 'schedule', 'cli'].map((k) => triggerClass(k as never)), ['event', 'event', 'event', 'sweep', 'sweep']);
  });

  it('skips sweep-only checks on events and retries, runs them on schedule and CLI', () => {
    for (const kind of ['cloudtrail', 'native-event', 'retry'] as const) {
      assert.deepEqual(selectChecks(config, undefined, registry, kind).map((c) => c.name), ['everywhere']);
    }
    for (const kind of ['schedule', 'cli'] as const) {
      assert.deepEqual(selectChecks(config, undefined, registry, kind).map((c) => c.name), ['everywhere', 'sweep-only']);
    }
    // Named checks obey the same rule; no trigger kind (older callers) keeps the old behaviour.
    assert.deepEqual(selectChecks(config, ['sweep-only'], registry, 'cloudtrail'), []);
    assert.equal(selectChecks(config, undefined, registry).length, 2);
    assert.equal(runsOn(everywhere, 'retry'), true);
  });

  it('keeps every compliance check off the event path', () => {
    const onEvents = selectChecks(config, undefined, REGISTRY.checks, 'cloudtrail').map((c) => c.name);
    for (const name of ['control-plane-logging', 'public-endpoint', 'kubernetes-version-support', 'secrets-encryption', 'iam-role-policies', 'multi-az-ebs']) {
      assert.ok(!onEvents.includes(name), `${name} must not run on events`);
      assert.ok(REGISTRY.checks.find((c) => c.name === name)?.defaultMode === 'report', `${name} reports by default`);
    }
    assert.ok(onEvents.includes('cluster-sg-baseline'));
  });
});
