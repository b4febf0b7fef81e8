import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../shared/config/load.ts';
import { ConfigError } from '../../shared/errors.ts';

describe('loadConfig', () => {
  it('has safe defaults', () => {
    const c = loadConfig({});
    assert.equal(c.mode, 'enforce');
    assert.deepEqual(c.checkModes, {});
    assert.equal(c.exemptTagKey, 'eks-guardrails/exempt');
    assert.equal(c.eventBus, undefined);
    assert.deepEqual(c.selfRoleArns, []);
    assert.equal(c.clusterSecurityGroup.httpsFromVpc, false);
    assert.equal(c.nlb.graceSeconds, 600);
  });

  it('reads the contract variables', () => {
    const c = loadConfig({
      GUARDRAILS_MODE: 'dry-run',
      GUARDRAILS_EVENT_BUS: 'arn:aws:events:us-east-1:123456789012:event-bus/g',
      GUARDRAILS_SELF_ROLE_ARN: 'arn:aws:iam::1:role/A, arn:aws:iam::1:role/B',
      GUARDRAILS_CHECK_MODES: 'cluster-sg-baseline=report, nlb-rule-headroom=enforce',
      GUARDRAILS_HTTPS_FROM_VPC: 'true',
    });
    assert.equal(c.mode, 'dry-run');
    assert.equal(c.eventBus, 'arn:aws:events:us-east-1:123456789012:event-bus/g');
    assert.deepEqual(c.selfRoleArns, ['arn:aws:iam::1:role/A', 'arn:aws:iam::1:role/B']);
    assert.deepEqual(c.checkModes, { 'cluster-sg-baseline': 'report', 'nlb-rule-headroom': 'enforce' });
    assert.equal(c.clusterSecurityGroup.httpsFromVpc, true);
  });

  it('accepts check modes as JSON', () => {
    assert.deepEqual(loadConfig({ GUARDRAILS_CHECK_MODES: '{"cluster-sg-baseline":"off"}' }).checkModes, { 'cluster-sg-baseline': 'off' });
  });

  it('fails loudly on bad values instead of falling back to enforce', () => {
    assert.throws(() => loadConfig({ GUARDRAILS_MODE: 'yolo' }), ConfigError);
    assert.throws(() => loadConfig({ GUARDRAILS_CHECK_MODES: 'cluster-sg-baseline=fix' }), ConfigError);
    assert.throws(() => loadConfig({ GUARDRAILS_HTTPS_FROM_VPC: 'maybe' }), ConfigError);
    assert.throws(() => loadConfig({ GUARDRAILS_NLB_GRACE_SECONDS: '-5' }), ConfigError);
    assert.throws(() => loadConfig({ GUARDRAILS_CHECK_MODES: '{oops' }), ConfigError);
  });
});
