import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../../shared/capabilities/config.ts';
import { ConfigError } from '../../../../shared/errors.ts';

const role = (n: string) => `arn:aws:iam::123456789012:role/${n}`;

describe('GUARDRAILS_CLUSTER_ADMIN_ALLOWLIST', () => {
  it('defaults to empty and reads a comma list', () => {
    assert.deepEqual(loadConfig({}).compliance?.clusterAdminAllowlist, []);
    assert.deepEqual(loadConfig({ GUARDRAILS_CLUSTER_ADMIN_ALLOWLIST: ` ${role('a')} , arn:aws-cn:iam::123456789012:user/ops-*` }).compliance?.clusterAdminAllowlist,
      [role('a'), 'arn:aws-cn:iam::123456789012:user/ops-*']);
  });

  for (const bad of ['*', 'ops-admin', 'arn:aws:iam::*:role/x', 'arn:aws:iam::123456789012:*', 'arn:aws:sts::123456789012:assumed-role/x/y', 'arn:aws:iam::12345:role/x', 'arn:aws:iam::123456789012:group/x']) {
    it(`rejects ${bad} as InvalidConfiguration before any AWS call`, () => {
      assert.throws(() => loadConfig({ GUARDRAILS_CLUSTER_ADMIN_ALLOWLIST: bad }), (e: ConfigError) => {
        assert.match(e.message, /GUARDRAILS_CLUSTER_ADMIN_ALLOWLIST/);
        return e instanceof ConfigError && e.code === 'InvalidConfiguration';
      });
    });
  }
});
