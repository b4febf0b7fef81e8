import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roleNameOf } from '../../../shared/arn.ts';

describe('roleNameOf', () => {
  it('reads role, role-with-path and assumed-role ARNs; keeps a bare name; has none for other ARNs', () => {
    assert.equal(roleNameOf('arn:aws:iam::123456789012:role/NodeRole'), 'NodeRole');
    assert.equal(roleNameOf('arn:aws:iam::123456789012:role/service-role/eks/NodeRole'), 'NodeRole');
    assert.equal(roleNameOf('arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jane.doe'), 'PlatformAdmin');
    assert.equal(roleNameOf('NodeRole'), 'NodeRole');
    assert.equal(roleNameOf('arn:aws:iam::123456789012:user/ops-bot'), '');
  });
});
