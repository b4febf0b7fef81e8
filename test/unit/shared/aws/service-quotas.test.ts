import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { mockClient } from 'aws-sdk-client-mock';
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { rulesPerSecurityGroupQuota } from '../../../../shared/aws/service-quotas.ts';
import { containerCaches } from '../../../../shared/state/cache.ts';

const quotas = mockClient(ServiceQuotasClient);
afterEach(() => { quotas.reset(); containerCaches.clear(); });

const denied = Object.assign(new Error('not authorized to perform: elasticloadbalancing:DescribeLoadBalancers'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });

describe('rules-per-group quota', () => {
  it('reads L-0EA8095F once per container', async () => {
    quotas.on(GetServiceQuotaCommand, { ServiceCode: 'vpc', QuotaCode: 'L-0EA8095F' }).resolves({ Quota: { Value: 120 } });
    assert.equal((await rulesPerSecurityGroupQuota()).value, 120);
    assert.equal((await rulesPerSecurityGroupQuota()).value, 120);
    assert.equal(quotas.commandCalls(GetServiceQuotaCommand).length, 1);
  });
  it('falls back to 60 when the call fails, and tries again next time', async () => {
    quotas.on(GetServiceQuotaCommand).rejects(denied);
    const q = await rulesPerSecurityGroupQuota();
    assert.deepEqual([q.value, q.source], [60, 'default']);
    await rulesPerSecurityGroupQuota();
    assert.equal(quotas.commandCalls(GetServiceQuotaCommand).length, 2);
  });
});
