import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { IAMClient, ListAttachedRolePoliciesCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { listAttachedRolePolicies, roleNameOf } from '../../../../shared/aws/iam.ts';

const iam = mockClient(IAMClient);
afterEach(() => iam.reset());

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} (test)`), { name, $metadata: { httpStatusCode: status } });
}

describe('iam adapter', () => {
  it('lists every page of attached policies', async () => {
    iam.on(ListAttachedRolePoliciesCommand, { RoleName: 'node', Marker: undefined })
      .resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/A' }], IsTruncated: true, Marker: 'm1' });
    iam.on(ListAttachedRolePoliciesCommand, { RoleName: 'node', Marker: 'm1' })
      .resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/B' }], IsTruncated: false });
    assert.deepEqual(await listAttachedRolePolicies('node'), { roleName: 'node', ok: true, policyArns: ['arn:aws:iam::aws:policy/A', 'arn:aws:iam::aws:policy/B'] });
    assert.equal(iam.commandCalls(ListAttachedRolePoliciesCommand).length, 2);
  });

  it('records AccessDenied as "could not check" instead of throwing', async () => {
    iam.on(ListAttachedRolePoliciesCommand).rejects(awsError('AccessDenied', 403));
    assert.deepEqual(await listAttachedRolePolicies('node'), { roleName: 'node', ok: false, errorCode: 'AccessDenied', missing: false });
  });

  it('records a deleted role as missing', async () => {
    iam.on(ListAttachedRolePoliciesCommand).rejects(new NoSuchEntityException({ message: 'The role with name node cannot be found.', $metadata: {} }));
    const out = await listAttachedRolePolicies('node');
    assert.equal(out.ok, false);
    assert.equal(!out.ok && out.missing, true);
  });

  it('throws throttling so the caller retries rather than reporting a false gap', async () => {
    iam.on(ListAttachedRolePoliciesCommand).rejects(awsError('Throttling', 400));
    await assert.rejects(listAttachedRolePolicies('node'), /Throttling/);
  });

  it('takes the role name from an ARN with a path', () => {
    assert.equal(roleNameOf('arn:aws:iam::123456789012:role/eks/nodes/prod-node'), 'prod-node');
    assert.equal(roleNameOf('arn:aws:iam::123456789012:role/prod-cluster'), 'prod-cluster');
  });
});
