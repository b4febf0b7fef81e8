import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { mockClient } from 'aws-sdk-client-mock';
import { AuthorizeSecurityGroupIngressCommand, EC2Client } from '@aws-sdk/client-ec2';
import { apply } from '../../../../shared/engine/apply.ts';
import type { AuthorizeRulesAction } from '../../../../shared/types/index.ts';
import { awsError, httpsRule } from '../../../support/ec2-errors.ts';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

const rule = httpsRule;

describe('apply', () => {
  const action: AuthorizeRulesAction = {
    kind: 'AuthorizeRules', check: 'cluster-sg-baseline', findingId: 'f', groupId: 'sg-1', direction: 'ingress',
    rules: [rule('10.0.0.0/16')], summary: 's', before: {}, after: {},
  };

  it('lets throttling propagate so the invocation is retried (and ends in the DLQ)', async () => {
    ec2.on(AuthorizeSecurityGroupIngressCommand).rejects(awsError('RequestLimitExceeded'));
    await assert.rejects(apply([{ action, executable: true }]), /RequestLimitExceeded/);
  });

  it('fails closed on a permanent error: the action is failed and says why', async () => {
    ec2.on(AuthorizeSecurityGroupIngressCommand).rejects(awsError('UnauthorizedOperation', 403));
    const [result] = await apply([{ action, executable: true }]);
    assert.equal(result!.status, 'failed');
    assert.match(result!.reason!, /UnauthorizedOperation/);
  });

  it('never calls AWS for a non-executable action', async () => {
    const [result] = await apply([{ action, executable: false, reason: 'dry-run' }]);
    assert.deepEqual([result!.status, result!.reason], ['planned', 'dry-run']);
    assert.equal(ec2.calls().length, 0);
  });
});
