import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryDelaySeconds } from '../../../../shared/lambda/defer.ts';

describe('retry delays', () => {
  it('double from the base and stop at SQS\'s 15 minutes', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 11].map((a) => retryDelaySeconds(a)), [30, 60, 120, 240, 480, 900, 900, 900]);
    assert.equal(retryDelaySeconds(3, 0), 0);
  });
});
