import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { controlPlaneLogging } from '../../../../../shared/capabilities/compliance/control-plane-logging.ts';
import { loadConfig } from '../../../../../shared/capabilities/config.ts';
import { config, snapshot } from '../../../../support/compliance-fixtures.ts';

describe('control-plane-logging', () => {
  it('passes when api, audit and authenticator are enabled (the default required set)', () => {
    const out = controlPlaneLogging.run(snapshot({ loggingEnabledTypes: ['api', 'audit', 'authenticator'] }), config);
    assert.deepEqual(out.findings, []);
  });

  it('names each disabled type and rates a missing audit log high', () => {
    const out = controlPlaneLogging.run(snapshot({ loggingEnabledTypes: ['api'] }), config);
    assert.equal(out.findings.length, 1);
    const f = out.findings[0]!;
    assert.equal(f.id, 'control-plane-logging:prod');
    assert.equal(f.severity, 'high');
    assert.deepEqual(f.evidence.disabled, ['audit', 'authenticator']);
    assert.match(f.fixHint, /update-cluster-config --name prod --logging .*"audit","authenticator"/);
    assert.equal(out.actions.length, 1);
    assert.deepEqual(out.actions[0], { kind: 'EnableClusterLogging', check: 'control-plane-logging', findingId: 'control-plane-logging:prod', clusterName: 'prod', types: ['audit', 'authenticator'], summary: 'Enable control-plane logging of audit, authenticator on cluster prod', before: { enabled: ['api'] }, after: { enabled: ['api', 'audit', 'authenticator'] } });
  });

  it('rates only verbose types missing as low when all five are required', () => {
    const all = loadConfig({ GUARDRAILS_REQUIRED_LOG_TYPES: 'all' });
    const out = controlPlaneLogging.run(snapshot({ loggingEnabledTypes: ['api', 'audit', 'authenticator'] }), all);
    assert.equal(out.findings[0]?.severity, 'low');
    assert.deepEqual(out.findings[0]?.evidence.disabled, ['controllerManager', 'scheduler']);
  });

  it('requires nothing when configured with none, and rejects unknown types loudly', () => {
    const none = loadConfig({ GUARDRAILS_REQUIRED_LOG_TYPES: 'none' });
    assert.deepEqual(controlPlaneLogging.run(snapshot({ loggingEnabledTypes: [] }), none).findings, []);
    assert.throws(() => loadConfig({ GUARDRAILS_REQUIRED_LOG_TYPES: 'api,kubelet' }), /kubelet/);
    assert.deepEqual(loadConfig({ GUARDRAILS_REQUIRED_LOG_TYPES: 'Audit, controllermanager' }).compliance?.requiredLogTypes, ['audit', 'controllerManager']);
  });

  it('says nothing when the cluster state carries no logging information', () => {
    assert.deepEqual(controlPlaneLogging.run(snapshot({ loggingEnabledTypes: undefined }), config).findings, []);
  });
});
