import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECK_NAMES } from '../../../../shared/capabilities/names.ts';
import { REGISTRY } from '../../../../shared/capabilities/registry.ts';

describe('CHECK_NAMES', () => {
  it('lists exactly the registry\'s checks (configuration and exemption tags are validated against it)', () => {
    assert.deepEqual([...CHECK_NAMES].sort(), REGISTRY.checks.map((c) => c.name).sort());
  });
});
