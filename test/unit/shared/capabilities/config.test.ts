import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../../shared/capabilities/config.ts';
import { ConfigError } from '../../../../shared/errors.ts';

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

  // Each mistake is InvalidConfiguration before any AWS call (loadConfig runs first in every handler and the CLI).
  it('rejects a misspelled check name in either form, naming it and the real checks', () => {
    for (const raw of ['cluster-sg-baselin=off', '{"cluster-sg-baselin":"off"}']) {
      assert.throws(() => loadConfig({ GUARDRAILS_CHECK_MODES: raw }), (err: ConfigError) =>
        err.code === 'InvalidConfiguration' && /unknown check "cluster-sg-baselin"/.test(err.message) && /cluster-sg-baseline/.test(err.message));
    }
  });

  it('rejects JSON that is not an object of strings, and k=v entries that are not one pair', () => {
    assert.throws(() => loadConfig({ GUARDRAILS_CHECK_MODES: '["cluster-sg-baseline"]' }), /must be an object/);
    assert.throws(() => loadConfig({ GUARDRAILS_CHECK_MODES: '{"cluster-sg-baseline":false}' }), /mode must be off, report or enforce/);
    assert.throws(() => loadConfig({ GUARDRAILS_CHECK_MODES: 'cluster-sg-baseline=off=report' }), /is not check=mode/);
    assert.throws(() => loadConfig({ GUARDRAILS_CHECK_MODES: 'cluster-sg-baseline' }), /is not check=mode/);
  });

  it('rejects contradictory settings', () => {
    assert.throws(() => loadConfig({ GUARDRAILS_CHECK_MODES: 'cluster-sg-baseline=off,cluster-sg-baseline=enforce' }), /set twice/);
    assert.throws(() => loadConfig({ GUARDRAILS_CHECK_MODES: 'cluster-sg-baseline=off', GUARDRAILS_ENFORCE_EGRESS: 'true' }), /GUARDRAILS_ENFORCE_EGRESS=true .*switches cluster-sg-baseline off/);
    assert.throws(() => loadConfig({ GUARDRAILS_CHECK_MODES: '{"cluster-sg-baseline":"off"}', GUARDRAILS_HTTPS_FROM_VPC: 'true' }), /GUARDRAILS_HTTPS_FROM_VPC=true/);
    // The same value twice is not a contradiction; report mode still reports missing egress.
    assert.deepEqual(loadConfig({ GUARDRAILS_CHECK_MODES: 'cluster-sg-baseline=off,cluster-sg-baseline=off' }).checkModes, { 'cluster-sg-baseline': 'off' });
    assert.equal(loadConfig({ GUARDRAILS_CHECK_MODES: 'cluster-sg-baseline=report', GUARDRAILS_ENFORCE_EGRESS: 'true' }).clusterSecurityGroup.enforceEgress, true);
  });

  it('rejects out-of-range numbers, unknown modes and unusable keys or ARNs instead of a wider default', () => {
    assert.throws(() => loadConfig({ GUARDRAILS_MODE: 'report' }), /GUARDRAILS_MODE/);
    assert.throws(() => loadConfig({ GUARDRAILS_NLB_THRESHOLD_PERCENT: '150' }), /from 0 to 100/);
    assert.throws(() => loadConfig({ GUARDRAILS_NLB_GRACE_SECONDS: '1.5' }), /whole number/);
    assert.throws(() => loadConfig({ GUARDRAILS_RETRY_BASE_DELAY_SECONDS: '3600' }), /from 0 to 900/);
    assert.throws(() => loadConfig({ GUARDRAILS_EXEMPT_TAG: 'aws:exempt' }), /GUARDRAILS_EXEMPT_TAG/);
    assert.throws(() => loadConfig({ GUARDRAILS_SELF_ROLE_ARN: 'OnSgEventRole' }), /GUARDRAILS_SELF_ROLE_ARN: "OnSgEventRole"/);
    assert.deepEqual(loadConfig({ GUARDRAILS_SELF_ROLE_ARN: 'arn:aws:sts::123456789012:assumed-role/R/s' }).selfRoleArns, ['arn:aws:sts::123456789012:assumed-role/R/s']);
  });
});

describe('notify configuration', () => {
  it('defaults: medium, 1 s between posts; bad values fail loudly', () => {
    const c = loadConfig({}).notify!;
    assert.equal(c.minSeverity, 'medium');
    assert.equal(c.intervalMs, 1000);
    assert.equal(loadConfig({ GUARDRAILS_NOTIFY_MIN_SEVERITY: 'HIGH' }).notify!.minSeverity, 'high');
    assert.throws(() => loadConfig({ GUARDRAILS_NOTIFY_MIN_SEVERITY: 'urgent' }), /GUARDRAILS_NOTIFY_MIN_SEVERITY/);
    assert.throws(() => loadConfig({ GUARDRAILS_SLACK_INTERVAL_MS: '-5' }), /GUARDRAILS_SLACK_INTERVAL_MS/);
  });
});
