import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCaVersion } from '../../../../shared/config/cluster-autoscaler-version.ts';
import { ConfigError } from '../../../../shared/errors.ts';
import { config } from '../../../support/snapshots.ts';

describe('GUARDRAILS_CLUSTER_AUTOSCALER_VERSION', () => {
  it('defaults to the current minor and accepts 1.33, v1.33, 1.33.2', () => {
    assert.equal(parseCaVersion(undefined), '1.36');
    assert.equal(config().clusterAutoscalerVersion, '1.36');
    for (const raw of ['1.33', 'v1.33', '1.33.2', ' 1.33 ']) assert.equal(parseCaVersion(raw), '1.33');
  });

  it('rejects anything else before any AWS call (a guess could drop tags CA still needs)', () => {
    for (const raw of ['latest', '1', '2.1', '1.x', '133', '1.33-eks']) {
      assert.throws(() => config({ GUARDRAILS_CLUSTER_AUTOSCALER_VERSION: raw }), (e: unknown) => e instanceof ConfigError && /GUARDRAILS_CLUSTER_AUTOSCALER_VERSION/.test((e as Error).message));
    }
  });
});
