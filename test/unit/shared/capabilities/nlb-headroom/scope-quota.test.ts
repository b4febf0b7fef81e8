import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { mockClient } from 'aws-sdk-client-mock';
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { rulesPerSecurityGroupQuota } from '../../../../../shared/aws/service-quotas.ts';
import { containerCaches } from '../../../../../shared/state/cache.ts';
import type { ObserveHints } from '../../../../../shared/types/index.ts';
import { restoreScopeRulesQuota, scopeRulesQuota } from '../../../../../shared/capabilities/nlb-headroom/scope-quota.ts';

const quotas = mockClient(ServiceQuotasClient);
afterEach(() => { quotas.reset(); containerCaches.clear(); });

describe('the rules quota of a sweep scope', () => {
  it('is read once per scope, however many prefetchers ask, and a new scope reads its own', async () => {
    quotas.on(GetServiceQuotaCommand).resolvesOnce({ Quota: { Value: 200 } }).resolvesOnce({ Quota: { Value: 120 } });
    const scopeA: ObserveHints = {};
    assert.equal((await scopeRulesQuota(scopeA)).value, 200);
    assert.equal((await scopeRulesQuota(scopeA)).value, 200);
    assert.equal(quotas.commandCalls(GetServiceQuotaCommand).length, 1);
    const scopeB: ObserveHints = {};
    assert.equal((await scopeRulesQuota(scopeB)).value, 120, 'another account: its own quota, not the cached one');
    assert.equal(quotas.commandCalls(GetServiceQuotaCommand).length, 2);
  });

  it('a fan-out batch restoring its share uses the start phase\'s value without a call', async () => {
    quotas.on(GetServiceQuotaCommand).resolves({ Quota: { Value: 999 } });
    const share = JSON.parse(JSON.stringify({ extra: { rulesPerSecurityGroupQuota: { value: 200, source: 'service-quotas' } } })) as ObserveHints;
    restoreScopeRulesQuota(share);
    assert.equal((await rulesPerSecurityGroupQuota()).value, 200);
    assert.equal(quotas.commandCalls(GetServiceQuotaCommand).length, 0);
  });

  it('a failed read falls back to 60 and is not handed on: the next reader tries again', async () => {
    quotas.on(GetServiceQuotaCommand).rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDeniedException' })).resolves({ Quota: { Value: 200 } });
    const scope: ObserveHints = {};
    assert.equal((await scopeRulesQuota(scope)).value, 60);
    assert.equal((await scopeRulesQuota(scope)).value, 200);
  });
});
