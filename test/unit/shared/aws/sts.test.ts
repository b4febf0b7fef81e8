import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callLog } from '../../../../shared/aws/calls.ts';
import { assumeRole } from '../../../../shared/aws/sts.ts';
import { useMoto } from '../../../support/moto.ts';

useMoto();
const ROLE = 'arn:aws:iam::210987654321:role/eks-guardrails-member';

describe('assumeRole', () => {
  it('assumes a member role once while its credentials have more than five minutes left, then again', async () => {
    const first = await assumeRole(ROLE, 'sweep');
    const again = await assumeRole(ROLE, 'sweep');
    assert.deepEqual(again, first);
    assert.equal(callLog.count({ operation: 'AssumeRole' }), 1);
    await assumeRole(ROLE, 'sweep', 'another-external-id');
    assert.equal(callLog.count({ operation: 'AssumeRole' }), 2, 'another external id is another session');
    await assumeRole(ROLE, 'sweep', undefined, first.expiration!.getTime() - 60_000);
    assert.equal(callLog.count({ operation: 'AssumeRole' }), 3, 'credentials about to expire are renewed');
  });
});
