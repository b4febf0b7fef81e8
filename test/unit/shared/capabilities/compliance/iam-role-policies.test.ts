import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { iamRolePolicies } from '../../../../../shared/capabilities/compliance/iam-role-policies.ts';
import type { IamRolePoliciesFacet } from '../../../../../shared/types/index.ts';
import { config, nodegroup, snapshot } from '../../../../support/compliance-fixtures.ts';

const aws = (name: string) => `arn:aws:iam::aws:policy/${name}`;
const GOOD_NODE = [aws('AmazonEKSWorkerNodePolicy'), aws('AmazonEKS_CNI_Policy'), aws('AmazonEC2ContainerRegistryReadOnly')];
const GOOD_CLUSTER = [aws('AmazonEKSClusterPolicy')];

function run(facet: IamRolePoliciesFacet, groups = [nodegroup('a'), nodegroup('b')]) {
  return iamRolePolicies.run(snapshot({}, { nodegroups: groups, extra: { iamRolePolicies: facet } }), config).findings;
}

describe('iam-role-policies', () => {
  it('passes roles holding the required policies (PullOnly counts as registry access)', () => {
    assert.deepEqual(run({
      'prod-cluster-role': { roleName: 'prod-cluster-role', ok: true, policyArns: GOOD_CLUSTER },
      'prod-node-role': { roleName: 'prod-node-role', ok: true, policyArns: GOOD_NODE },
    }), []);
    const pullOnly = [aws('AmazonEKSWorkerNodePolicy'), aws('AmazonEKS_CNI_Policy'), 'arn:aws-cn:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly'];
    assert.deepEqual(run({
      'prod-cluster-role': { roleName: 'prod-cluster-role', ok: true, policyArns: GOOD_CLUSTER },
      'prod-node-role': { roleName: 'prod-node-role', ok: true, policyArns: pullOnly },
    }), []);
  });

  it('reports each missing node policy once per role, naming the node groups sharing it', () => {
    const findings = run({
      'prod-cluster-role': { roleName: 'prod-cluster-role', ok: true, policyArns: GOOD_CLUSTER },
      // A customer policy of the same name does not count: only the AWS managed one.
      'prod-node-role': { roleName: 'prod-node-role', ok: true, policyArns: ['arn:aws:iam::123456789012:policy/AmazonEKSWorkerNodePolicy'] },
    });
    assert.deepEqual(findings.map((f) => [f.id, f.severity]), [
      ['iam-role-policies:prod-node-role:worker', 'high'],
      ['iam-role-policies:prod-node-role:registry', 'medium'],
      ['iam-role-policies:prod-node-role:cni', 'low'],
    ]);
    assert.deepEqual((findings[0]!.evidence.usedBy as { nodegroups: string[] }).nodegroups, ['a', 'b']);
    assert.equal(findings[0]!.resource.type, 'iam-role');
    assert.match(findings[1]!.fixHint, /AmazonEC2ContainerRegistryPullOnly/);
  });

  it('reports a cluster role without AmazonEKSClusterPolicy', () => {
    const findings = run({ 'prod-cluster-role': { roleName: 'prod-cluster-role', ok: true, policyArns: [] } }, []);
    assert.deepEqual(findings.map((f) => [f.id, f.severity]), [['iam-role-policies:prod-cluster-role:cluster', 'high']]);
  });

  it('says it could not check when IAM refused, and reports a deleted role', () => {
    const findings = run({
      'prod-cluster-role': { roleName: 'prod-cluster-role', ok: false, errorCode: 'AccessDenied', missing: false },
      'prod-node-role': { roleName: 'prod-node-role', ok: false, errorCode: 'NoSuchEntity', missing: true },
    });
    assert.deepEqual(findings.map((f) => [f.id, f.severity]), [
      ['iam-role-policies:prod-cluster-role:not-checked', 'low'],
      ['iam-role-policies:prod-node-role:missing-role', 'high'],
    ]);
    assert.match(findings[0]!.title, /Could not check .*AccessDenied/);
  });

  it('says nothing without the IAM facet', () => {
    assert.deepEqual(iamRolePolicies.run(snapshot(), config).findings, []);
  });
});
