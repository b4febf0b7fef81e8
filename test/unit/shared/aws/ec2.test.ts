import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { mockClient } from 'aws-sdk-client-mock';
import { AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupsCommand, EC2Client, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { authorizeRules, describeSecurityGroup, revokeRules } from '../../../../shared/aws/ec2.ts';
import { awsError, httpsRule } from '../../../support/ec2-errors.ts';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

const rule = httpsRule;

describe('EC2 adapter', () => {
  it('treats InvalidPermission.Duplicate as already done', async () => {
    ec2.on(AuthorizeSecurityGroupIngressCommand).rejects(awsError('InvalidPermission.Duplicate'));
    assert.equal(await authorizeRules('sg-1', 'ingress', [rule('10.0.0.0/16')]), 'already-done');
  });

  it('retries a multi-rule authorize rule by rule after a duplicate, so no rule is lost', async () => {
    ec2.on(AuthorizeSecurityGroupIngressCommand)
      .rejectsOnce(awsError('InvalidPermission.Duplicate'))
      .rejectsOnce(awsError('InvalidPermission.Duplicate'))
      .resolves({ Return: true });
    assert.equal(await authorizeRules('sg-1', 'ingress', [rule('10.0.0.0/16'), rule('10.1.0.0/16')]), 'applied');
    const calls = ec2.commandCalls(AuthorizeSecurityGroupIngressCommand);
    assert.equal(calls.length, 3);
    assert.equal(calls[2]!.args[0].input.IpPermissions![0]!.IpRanges![0]!.CidrIp, '10.1.0.0/16');
  });

  it('treats InvalidPermission.NotFound on revoke as already done, and revokes by ids with the group id', async () => {
    ec2.on(RevokeSecurityGroupIngressCommand).rejects(awsError('InvalidPermission.NotFound'));
    assert.equal(await revokeRules('sg-1', 'ingress', ['sgr-1', 'sgr-2']), 'already-done');
    assert.deepEqual(ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]!.args[0].input, { GroupId: 'sg-1', SecurityGroupRuleIds: ['sgr-1', 'sgr-2'] });
  });

  it('answers undefined for a group that does not exist, and throws on other errors', async () => {
    ec2.on(DescribeSecurityGroupsCommand).rejectsOnce(awsError('InvalidGroup.NotFound')).rejectsOnce(awsError('UnauthorizedOperation', 403));
    assert.equal(await describeSecurityGroup('sg-gone'), undefined);
    await assert.rejects(describeSecurityGroup('sg-1'), /UnauthorizedOperation/);
  });
});
