import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differences, multiAzEbs, siblingBase } from '../../../../../shared/capabilities/compliance/multi-az-ebs.ts';
import type { EbsVolume, NodegroupState } from '../../../../../shared/types/index.ts';
import { config, nodegroup, snapshot } from '../../../../support/compliance-fixtures.ts';

const subnetAzs = { 'subnet-a': 'us-east-1a', 'subnet-b': 'us-east-1b', 'subnet-c': 'us-east-1c' };
const volume: EbsVolume = { volumeId: 'vol-1', availabilityZone: 'us-east-1a', tags: { 'ebs.csi.aws.com/cluster': 'true', 'kubernetes.io/cluster/prod': 'owned' } };

function run(groups: NodegroupState[], volumes: EbsVolume[] = [volume]) {
  return multiAzEbs.run(snapshot({}, { nodegroups: groups, extra: { ebsVolumes: volumes, subnetAzs } }), config).findings;
}

describe('multi-az-ebs', () => {
  it('reports a node group spanning several AZs in a cluster with EBS volumes', () => {
    const findings = run([nodegroup('general', { subnets: ['subnet-a', 'subnet-b'] })]);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.id, 'multi-az-ebs:prod/general');
    assert.equal(findings[0]!.resource.type, 'nodegroup');
    assert.deepEqual(findings[0]!.evidence.availabilityZones, ['us-east-1a', 'us-east-1b']);
    assert.match(findings[0]!.fixHint, /--balance-similar-node-groups/);
  });

  it('says nothing in a cluster without EBS volumes', () => {
    assert.deepEqual(run([nodegroup('general', { subnets: ['subnet-a', 'subnet-b'] })], []), []);
  });

  it('passes per-AZ node groups that are alike', () => {
    assert.deepEqual(run([
      nodegroup('data-us-east-1a', { subnets: ['subnet-a'], labels: { role: 'data', 'topology.kubernetes.io/zone': 'us-east-1a' } }),
      nodegroup('data-us-east-1b', { subnets: ['subnet-b'], labels: { role: 'data', 'topology.kubernetes.io/zone': 'us-east-1b' } }),
    ]), []);
  });

  it('reports per-AZ siblings that differ in instance types, labels or taints', () => {
    const findings = run([
      nodegroup('data-1a', { subnets: ['subnet-a'], labels: { role: 'data' } }),
      nodegroup('data-1b', { subnets: ['subnet-b'], labels: { role: 'data' }, instanceTypes: ['r6i.large'] }),
      nodegroup('data-1c', { subnets: ['subnet-c'], labels: { role: 'db' }, taints: [{ key: 'db', value: 'true', effect: 'NO_SCHEDULE' }] }),
    ]);
    assert.equal(findings.length, 1);
    const f = findings[0]!;
    assert.equal(f.id, 'multi-az-ebs:prod:siblings:data');
    const diffs = f.evidence.differences as { nodegroup: string; in: string[] }[];
    assert.deepEqual(diffs.map((d) => d.nodegroup), ['data-1b', 'data-1c']);
    assert.match(diffs[0]!.in[0]!, /instance types m6i.large vs r6i.large/);
    assert.deepEqual(diffs[1]!.in, ['labels', 'taints']);
  });

  it('does not treat unrelated single-AZ groups as siblings', () => {
    assert.deepEqual(run([
      nodegroup('gpu', { subnets: ['subnet-a'], instanceTypes: ['g5.xlarge'] }),
      nodegroup('general', { subnets: ['subnet-b'] }),
    ]), []);
  });

  it('strips the AZ in the spellings people use', () => {
    assert.equal(siblingBase('data-us-east-1a', 'us-east-1a'), 'data');
    assert.equal(siblingBase('data-1b-spot', 'us-east-1b'), 'data-spot');
    assert.equal(siblingBase('data_c', 'us-east-1c'), 'data');
    assert.equal(siblingBase('mega', 'us-east-1a'), 'mega');
    assert.deepEqual(differences(nodegroup('x', { capacityType: 'SPOT' }), nodegroup('y')), ['capacity type SPOT vs ON_DEMAND']);
  });
});
