import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSweepConfig, scopesOf } from '../../../../shared/sweep/config.ts';

describe('sweep configuration', () => {
  it('defaults to this region and account', () => {
    const c = loadSweepConfig({ AWS_REGION: 'eu-central-1' });
    assert.deepEqual(scopesOf(c), [{ region: 'eu-central-1' }]);
    assert.equal(c.concurrency, 4);
    assert.equal(c.batchSize, 25);
    assert.equal(c.uploadReports, false);
  });

  it('every member role in every region, with the external id', () => {
    const c = loadSweepConfig({ GUARDRAILS_SWEEP_REGIONS: 'us-east-1, eu-west-1', GUARDRAILS_SWEEP_ROLE_ARNS: 'arn:aws:iam::111122223333:role/eks-guardrails-member', GUARDRAILS_SWEEP_EXTERNAL_ID: 'x', GUARDRAILS_SWEEP_INCLUDE_SELF: 'false' });
    assert.deepEqual(scopesOf(c), [
      { region: 'us-east-1', roleArn: 'arn:aws:iam::111122223333:role/eks-guardrails-member', externalId: 'x' },
      { region: 'eu-west-1', roleArn: 'arn:aws:iam::111122223333:role/eks-guardrails-member', externalId: 'x' },
    ]);
  });

  it('fails loudly on bad values', () => {
    assert.throws(() => loadSweepConfig({ GUARDRAILS_SWEEP_ROLE_ARNS: 'eks-guardrails-member' }), /not an IAM role ARN/);
    assert.throws(() => loadSweepConfig({ GUARDRAILS_SWEEP_REGIONS: 'mars' }), /not a region/);
    assert.throws(() => loadSweepConfig({ GUARDRAILS_SWEEP_CONCURRENCY: '0' }), /from 1 to 32/);
    assert.throws(() => loadSweepConfig({ GUARDRAILS_SWEEP_UPLOAD_REPORTS: 'maybe' }), /true or false/);
    assert.throws(() => scopesOf(loadSweepConfig({ GUARDRAILS_SWEEP_INCLUDE_SELF: 'false' })), /nothing to sweep/);
  });
});
