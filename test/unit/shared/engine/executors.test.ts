import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeSecurityGroupRulesCommand, EC2Client, EC2ServiceException, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { EXECUTORS } from '../../../../shared/engine/executors.ts';
import type { RevokeRulesAction, SgRule } from '../../../../shared/types/index.ts';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

const MARK = { 'eks-guardrails/nlb-stale-since': '2026-11-24T07:00:00.000Z' };
const sdkRule = (id: string, port: number, tags = MARK) => ({
  SecurityGroupRuleId: id, GroupId: 'sg-1', IsEgress: false, IpProtocol: 'tcp', FromPort: port, ToPort: port, CidrIpv4: '0.0.0.0/0',
  Description: `kubernetes.io/rule/nlb/client=a${'d'.repeat(31)}`, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
});
const planned = (id: string, port: number): SgRule => ({
  ruleId: id, direction: 'ingress', protocol: 'tcp', fromPort: port, toPort: port, cidrIpv4: '0.0.0.0/0',
  description: `kubernetes.io/rule/nlb/client=a${'d'.repeat(31)}`, tags: MARK,
});
const action = (rules: SgRule[]): RevokeRulesAction => ({
  kind: 'RevokeRules', check: 'nlb-rule-headroom', findingId: 'f', summary: 's', before: null, after: null,
  groupId: 'sg-1', direction: 'ingress', ruleIds: rules.map((r) => r.ruleId!), rules,
});
const notFound = new EC2ServiceException({ name: 'InvalidPermission.NotFound', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'gone' });

describe('RevokeRules executor', () => {
  it('revokes only ids that still exist, still match and still carry the mark, in one call', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [sdkRule('sgr-1', 1), sdkRule('sgr-2', 2, {} as typeof MARK), { ...sdkRule('sgr-3', 3), Description: 'changed by a person' }] });
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
    const outcome = await EXECUTORS.RevokeRules!(action([planned('sgr-1', 1), planned('sgr-2', 2), planned('sgr-3', 3), planned('sgr-4', 4)]));
    assert.equal(outcome, 'applied');
    const calls = ec2.commandCalls(RevokeSecurityGroupIngressCommand);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.args[0].input, { GroupId: 'sg-1', SecurityGroupRuleIds: ['sgr-1'] });
  });

  it('after a whole-call NotFound (one id vanished meanwhile) revokes the rest once more', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand)
      .resolvesOnce({ SecurityGroupRules: [sdkRule('sgr-1', 1), sdkRule('sgr-2', 2)] })
      .resolves({ SecurityGroupRules: [sdkRule('sgr-2', 2)] });
    ec2.on(RevokeSecurityGroupIngressCommand).rejectsOnce(notFound).resolves({ Return: true });
    assert.equal(await EXECUTORS.RevokeRules!(action([planned('sgr-1', 1), planned('sgr-2', 2)])), 'applied');
    const calls = ec2.commandCalls(RevokeSecurityGroupIngressCommand);
    assert.deepEqual(calls.map((c) => c.args[0].input.SecurityGroupRuleIds), [['sgr-1', 'sgr-2'], ['sgr-2']]);
  });

  it('is already done when nothing planned is left', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });
    assert.equal(await EXECUTORS.RevokeRules!(action([planned('sgr-1', 1)])), 'already-done');
    assert.equal(ec2.commandCalls(RevokeSecurityGroupIngressCommand).length, 0);
  });
});
