import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imdsProblems, launchTemplateKey, nodeImdsHardening, nodeLaunchOwners } from '../../../../../shared/capabilities/compliance/node-imds-hardening.ts';
import { loadConfig } from '../../../../../shared/capabilities/config.ts';
import type { AutoScalingGroupState, LaunchSettings, NodeLaunchFacet } from '../../../../../shared/types/index.ts';
import { config, nodegroup, snapshot } from '../../../../support/compliance-fixtures.ts';

const asg = (name: string, fields: Partial<AutoScalingGroupState> = {}): AutoScalingGroupState =>
  ({ name, minSize: 0, maxSize: 3, desiredCapacity: 0, availabilityZones: [], tags: [], ...fields });
const ok = (imds: Record<string, unknown>): LaunchSettings => ({ ok: true, imds });
const facet = (templates: Record<string, LaunchSettings> = {}, launchConfigurations: Record<string, LaunchSettings> = {}): NodeLaunchFacet => ({ templates, launchConfigurations });
const HARD = ok({ httpTokens: 'required', httpPutResponseHopLimit: 1, httpEndpoint: 'enabled' });

describe('node-imds-hardening', () => {
  it('judges metadata options: IMDSv1 and hop limits above the maximum are high; unset values medium; a disabled endpoint passes', () => {
    assert.deepEqual(imdsProblems({ httpTokens: 'required', httpPutResponseHopLimit: 1 }, 1), []);
    assert.deepEqual(imdsProblems({ httpTokens: 'optional', httpPutResponseHopLimit: 1 }, 1).map((p) => p.severity), ['high']);
    assert.deepEqual(imdsProblems({ httpTokens: 'required', httpPutResponseHopLimit: 2 }, 1).map((p) => p.severity), ['high']);
    assert.deepEqual(imdsProblems({ httpTokens: 'required', httpPutResponseHopLimit: 2 }, 2), []);
    assert.deepEqual(imdsProblems({ httpTokens: 'required', httpPutResponseHopLimit: 3 }, 2).map((p) => p.severity), ['high']);
    assert.deepEqual(imdsProblems({}, 1).map((p) => p.severity), ['medium', 'medium']);
    assert.deepEqual(imdsProblems({ httpTokens: 'required' }, 2), []);
    assert.deepEqual(imdsProblems({ httpEndpoint: 'disabled', httpTokens: 'optional', httpPutResponseHopLimit: 5 }, 1), []);
  });

  it('reads every template of a mixed-instances policy and the launch configuration; an ASG without a version launches $Default', () => {
    const s = snapshot({}, { autoScalingGroups: [asg('mixed', { mixedInstancesLaunchTemplates: [{ id: 'lt-1' }, { id: 'lt-2', version: '3' }, { id: 'lt-1' }] }), asg('old', { launchConfigurationName: 'old-lc' })] });
    assert.deepEqual(nodeLaunchOwners(s).map((o) => o.sources.map((x) => (x.kind === 'launch-template' ? x.key : x.name))), [['lt-1@$Default', 'lt-2@3'], ['old-lc']]);
    assert.equal(launchTemplateKey({ name: 'nodes', version: '$Latest' }), 'name:nodes@$Latest');
  });

  it('one finding per ASG naming the bad template among several, with the worst severity', () => {
    const s = snapshot({}, {
      autoScalingGroups: [asg('mixed', { mixedInstancesLaunchTemplates: [{ id: 'lt-1' }, { id: 'lt-2', version: '3' }] })],
      extra: { nodeLaunch: facet({ 'lt-1@$Default': HARD, 'lt-2@3': ok({ httpTokens: 'optional', httpPutResponseHopLimit: 1 }) }) },
    });
    const [f, ...rest] = nodeImdsHardening.run(s, config).findings;
    assert.equal(rest.length, 0);
    assert.equal(f!.id, 'node-imds-hardening:mixed');
    assert.equal(f!.severity, 'high');
    assert.match(f!.title, /launch template lt-2 \(version 3\) allows IMDSv1/);
    assert.doesNotMatch(f!.title, /lt-1/);
  });

  it('a managed node group is judged through its ASG when visible, else through its own template, else reported unknown (info)', () => {
    const groups = [
      nodegroup('seen', { autoScalingGroupNames: ['eks-seen-1'], launchTemplate: { id: 'lt-own', version: '1' } }),
      nodegroup('own', { autoScalingGroupNames: ['eks-own-1'], launchTemplate: { id: 'lt-own', version: '1' } }),
      nodegroup('default', { autoScalingGroupNames: ['eks-default-1'] }),
    ];
    const s = snapshot({}, {
      nodegroups: groups,
      autoScalingGroups: [asg('eks-seen-1', { launchTemplate: { id: 'lt-eks', version: '2' } })],
      extra: { nodeLaunch: facet({ 'lt-eks@2': ok({ httpTokens: 'optional', httpPutResponseHopLimit: 2 }), 'lt-own@1': HARD }) },
    });
    const findings = nodeImdsHardening.run(s, config).findings;
    assert.deepEqual(findings.map((f) => [f.id, f.severity]), [['node-imds-hardening:eks-seen-1', 'high'], ['node-imds-hardening:prod/default', 'info']]);
    // The fix names the person's own template, not EKS's copy.
    assert.match(findings[0]!.fixHint, /launch template lt-own/);
    assert.match(findings[1]!.title, /Could not check/);
  });

  it('a missing or refused read is info ("could not check"), never a pass and never a violation', () => {
    const s = snapshot({}, { autoScalingGroups: [asg('a', { launchTemplate: { id: 'lt-x', version: '1' } }), asg('b', { launchConfigurationName: 'lc' })],
      extra: { nodeLaunch: facet({ 'lt-x@1': { ok: false, errorCode: 'InvalidLaunchTemplateId.NotFound', missing: true } }) } });
    assert.deepEqual(nodeImdsHardening.run(s, config).findings.map((f) => [f.id, f.severity]), [['node-imds-hardening:a', 'info'], ['node-imds-hardening:b', 'info']]);
  });

  it('GUARDRAILS_IMDS_HOP_LIMIT_MAX: 1 by default, 2 allowed, anything else refused', () => {
    assert.deepEqual(loadConfig({}).nodeImds, { hopLimitMax: 1 });
    assert.deepEqual(loadConfig({ GUARDRAILS_IMDS_HOP_LIMIT_MAX: '2' }).nodeImds, { hopLimitMax: 2 });
    for (const bad of ['0', '3', 'two']) assert.throws(() => loadConfig({ GUARDRAILS_IMDS_HOP_LIMIT_MAX: bad }), /GUARDRAILS_IMDS_HOP_LIMIT_MAX/);
  });

  it('is a report-only sweep check', () => {
    assert.equal(nodeImdsHardening.defaultMode, 'report');
    assert.deepEqual(nodeImdsHardening.triggers, ['sweep']);
    assert.deepEqual(nodeImdsHardening.run(snapshot(), config), { findings: [], actions: [] });
  });
});
