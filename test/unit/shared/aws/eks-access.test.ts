import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { EKSClient, ListAccessEntriesCommand, ListAssociatedAccessPoliciesCommand } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { listAccessEntriesWithPolicies } from '../../../../shared/aws/eks-access.ts';

const eks = mockClient(EKSClient);
afterEach(() => eks.reset());

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} (test)`), { name, $metadata: { httpStatusCode: status } });
}

const ROLE = 'arn:aws:iam::123456789012:role/a';

describe('eks access-entries adapter (error paths)', () => {
  it('records AccessDenied on ListAccessEntries as "could not check"', async () => {
    eks.on(ListAccessEntriesCommand).rejects(awsError('AccessDeniedException', 403));
    assert.deepEqual(await listAccessEntriesWithPolicies('prod'), { ok: false, errorCode: 'AccessDeniedException' });
  });

  it('a refusal on one entry\'s policies fails the whole listing (no partial list that would look clean)', async () => {
    eks.on(ListAccessEntriesCommand).resolves({ accessEntries: [ROLE] });
    eks.on(ListAssociatedAccessPoliciesCommand).rejects(awsError('AccessDeniedException', 403));
    assert.deepEqual(await listAccessEntriesWithPolicies('prod'), { ok: false, errorCode: 'AccessDeniedException' });
  });

  for (const [name, status] of [['ThrottlingException', 429], ['ServerException', 500]] as const) {
    it(`throws ${name} so the sweep fails and is retried`, async () => {
      eks.on(ListAccessEntriesCommand).resolves({ accessEntries: [ROLE] });
      eks.on(ListAssociatedAccessPoliciesCommand).rejects(awsError(name, status));
      await assert.rejects(listAccessEntriesWithPolicies('prod'), new RegExp(name));
    });
  }
});
