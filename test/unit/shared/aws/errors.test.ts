import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { classifyError } from '../../../../shared/aws/errors.ts';

function awsError(name: string, status = 400) {
  return new EC2ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: `${name} happened` });
}

describe('classifyError', () => {
  it('classifies errors: duplicate, not found, retryable, fatal', () => {
    assert.equal(classifyError(awsError('InvalidPermission.Duplicate')), 'duplicate');
    assert.equal(classifyError(awsError('InvalidGroup.NotFound')), 'not-found');
    assert.equal(classifyError(awsError('RequestLimitExceeded')), 'retryable');
    assert.equal(classifyError(awsError('Anything', 503)), 'retryable');
    assert.equal(classifyError(Object.assign(new Error('socket'), { code: 'ECONNREFUSED' })), 'retryable');
    assert.equal(classifyError(awsError('UnauthorizedOperation', 403)), 'fatal');
  });
});
