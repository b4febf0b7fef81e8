import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoscalerDiscoveryTags } from '../../../../../shared/capabilities/autoscaler/autoscaler-discovery-tags.ts';
import { config, snapshot } from '../../../../support/snapshots.ts';
import { gpuNodegroup } from '../../../../support/autoscaler-fixtures.ts';

// nodegroupHealthFindings reports through the discovery check, the one check that reads node group health.
const nodegroup = gpuNodegroup;

describe('node groups whose ASG is gone', () => {
  it('a listed ASG that does not exist is a high finding at once (DEGRADED, or EKS says AutoScalingGroupNotFound)', () => {
    const notFound = [{ code: 'AutoScalingGroupNotFound', resourceIds: ['eks-gpu-gone'] }];
    for (const [status, healthIssues] of [['DEGRADED', []], ['ACTIVE', notFound]] as const) {
      const out = autoscalerDiscoveryTags.run(snapshot({ nodegroups: [nodegroup('eks-gpu-gone', { status, healthIssues: [...healthIssues] })], autoScalingGroups: [] }), config());
      assert.deepEqual(out.findings.map((f) => [f.id, f.severity, f.resource.type]), [['autoscaler-discovery-tags:gpu:asg-not-found', 'high', 'nodegroup']], status);
      assert.match(out.findings[0]!.title, /has lost its Auto Scaling group eks-gpu-gone/);
      assert.deepEqual(out.actions, []);
    }
  });

  it('EKS health issues are findings; a CREATING or ACTIVE node group without its ASG (EKS has not flagged it) is not', () => {
    const degraded = nodegroup('eks-gpu-1', { status: 'DEGRADED', healthIssues: [{ code: 'AutoScalingGroupNotFound', message: 'ASG not found', resourceIds: ['eks-gpu-1'] }, { code: 'Ec2SubnetNotFound' }] });
    const out = autoscalerDiscoveryTags.run(snapshot({ nodegroups: [degraded], autoScalingGroups: [] }), config());
    assert.deepEqual(out.findings.map((f) => f.id), ['autoscaler-discovery-tags:gpu:asg-not-found', 'autoscaler-discovery-tags:gpu:health:Ec2SubnetNotFound']);
    for (const status of ['CREATING', 'ACTIVE']) {
      const quiet = autoscalerDiscoveryTags.run(snapshot({ nodegroups: [nodegroup('eks-gpu-1', { status })], autoScalingGroups: [] }), config());
      assert.deepEqual(quiet.findings, [], status);
    }
  });
});
