import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { DescribeSubnetsCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { describeSubnetAzs, describeVolumes } from '../../../../shared/aws/ec2-inventory.ts';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

describe('ec2 inventory adapter', () => {
  it('pages volumes and keeps their tags and AZ', async () => {
    ec2.on(DescribeVolumesCommand, { NextToken: undefined }).resolves({
      Volumes: [{ VolumeId: 'vol-1', AvailabilityZone: 'us-east-1a', State: 'in-use', Tags: [{ Key: 'ebs.csi.aws.com/cluster', Value: 'true' }] }], NextToken: 't',
    });
    ec2.on(DescribeVolumesCommand, { NextToken: 't' }).resolves({ Volumes: [{ VolumeId: 'vol-2', AvailabilityZone: 'us-east-1b' }] });
    const volumes = await describeVolumes([{ Name: 'tag-key', Values: ['ebs.csi.aws.com/cluster'] }]);
    assert.deepEqual(volumes.map((v) => [v.volumeId, v.availabilityZone]), [['vol-1', 'us-east-1a'], ['vol-2', 'us-east-1b']]);
    assert.deepEqual(volumes[0]!.tags, { 'ebs.csi.aws.com/cluster': 'true' });
    assert.deepEqual(ec2.commandCalls(DescribeVolumesCommand)[0]!.args[0].input.Filters, [{ Name: 'tag-key', Values: ['ebs.csi.aws.com/cluster'] }]);
  });

  it('describes subnets by filter in chunks of 200, each id once', async () => {
    ec2.on(DescribeSubnetsCommand).callsFake((input: { Filters: { Values: string[] }[] }) => ({
      Subnets: input.Filters[0]!.Values.map((id) => ({ SubnetId: id, AvailabilityZone: `az-of-${id}` })),
    }));
    const ids = Array.from({ length: 250 }, (_, i) => `subnet-${i}`);
    const azs = await describeSubnetAzs([...ids, 'subnet-0']);
    assert.equal(azs.size, 250);
    assert.equal(azs.get('subnet-7'), 'az-of-subnet-7');
    assert.equal(ec2.commandCalls(DescribeSubnetsCommand).length, 2);
  });

  it('propagates errors (the sweep reports the cluster as failed, never as compliant)', async () => {
    ec2.on(DescribeVolumesCommand).rejects(Object.assign(new Error('no'), { name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403 } }));
    await assert.rejects(describeVolumes([]), /no/);
  });
});
