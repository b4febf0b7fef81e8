import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthorizeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { dryRunGuard, sdkClients } from '../../../../shared/aws/client.ts';
import { ec2Client } from '../../../../shared/aws/ec2.ts';
import { eventBridgeClient } from '../../../../shared/aws/eventbridge.ts';
import { callLog } from '../../../../shared/aws/calls.ts';

describe('dry-run guard', () => {
  it('refuses a write to a customer resource before it leaves the process, but lets publishing through', async () => {
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9'; // discard port: nothing listens, nothing is reached
    process.env.AWS_ACCESS_KEY_ID = 'x';
    process.env.AWS_SECRET_ACCESS_KEY = 'x';
    process.env.AWS_MAX_ATTEMPTS = '1';
    sdkClients.clear();
    callLog.reset();
    dryRunGuard.hold();
    try {
      await assert.rejects(ec2Client().send(new AuthorizeSecurityGroupIngressCommand({ GroupId: 'sg-1' })), /dry-run guard: refused EC2.AuthorizeSecurityGroupIngress/);
      assert.equal(callLog.count({ mutating: true, service: 'EC2' }), 0);
      // The bus is ours: publishing the plan is allowed (it fails here only because nothing listens).
      await assert.rejects(eventBridgeClient().send(new PutEventsCommand({ Entries: [] })), (err: Error) => !/dry-run guard/.test(err.message));
      assert.equal(callLog.count({ service: 'EventBridge' }), 1);
    } finally {
      dryRunGuard.release();
      sdkClients.clear();
    }
  });
});
