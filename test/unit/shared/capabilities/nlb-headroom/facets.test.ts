import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { containerCaches } from '../../../../../shared/state/cache.ts';
import { forceOf, lookUpLoadBalancers } from '../../../../../shared/capabilities/nlb-headroom/facets.ts';

const elb = mockClient(ElasticLoadBalancingV2Client);
afterEach(() => { elb.reset(); containerCaches.clear(); });

const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
const denied = Object.assign(new Error('not authorized to perform: elasticloadbalancing:DescribeLoadBalancers'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });

describe('load balancer lookup', () => {
  it('turns access denied into a reason; throttling past retries, also on a later page, is thrown (never a partial list)', async () => {
    elb.on(DescribeLoadBalancersCommand).rejects(denied);
    const out = await lookUpLoadBalancers();
    assert.equal(out.ok, false);
    assert.match((out as { reason: string }).reason, /AccessDenied/);
    // Transient: the sweep's prefetch counts as failed, and each cluster's loader lists again (and fails that
    // cluster if it still cannot), rather than reporting a trim it could not do.
    elb.reset();
    elb.on(DescribeLoadBalancersCommand).rejects(throttled);
    await assert.rejects(lookUpLoadBalancers(), /Rate exceeded/);
    elb.reset();
    elb.on(DescribeLoadBalancersCommand, { Marker: undefined }).resolves({ LoadBalancers: [{ LoadBalancerName: 'a' }], NextMarker: 'm1' })
      .on(DescribeLoadBalancersCommand, { Marker: 'm1' }).rejects(throttled);
    await assert.rejects(lookUpLoadBalancers(), /Rate exceeded/);
  });
});

describe('target group lookup', () => {
  it('a failure of the target-group listing (any page) fails the whole lookup, naming the call; a transient one is thrown', async () => {
    elb.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ LoadBalancerName: 'a' }] });
    elb.on(DescribeTargetGroupsCommand, { Marker: undefined }).resolves({ TargetGroups: [{ TargetGroupName: 'x', Port: 1 }], NextMarker: 'm1' })
      .on(DescribeTargetGroupsCommand, { Marker: 'm1' }).rejects(denied);
    const out = await lookUpLoadBalancers();
    assert.equal(out.ok, false);
    assert.match((out as { reason: string }).reason, /^DescribeTargetGroups failed \(AccessDenied/);
    elb.on(DescribeTargetGroupsCommand, { Marker: 'm1' }).rejects(throttled);
    await assert.rejects(lookUpLoadBalancers(), /Rate exceeded/);
  });
});

describe('forceOf', () => {
  const trigger = (apiCall: string, errorCode?: string) => ({ clusterName: 'prod', trigger: { kind: 'cloudtrail' as const, apiCall, ...(errorCode ? { errorCode } : {}) } });
  it('only a full inbound count forces a trim: a failed egress Authorize does not', () => {
    assert.equal(forceOf(trigger('ec2:AuthorizeSecurityGroupIngress', 'Client.RulesPerSecurityGroupLimitExceeded')), 'limit-exceeded');
    assert.equal(forceOf(trigger('ec2:AuthorizeSecurityGroupIngress', 'RulesPerSecurityGroupLimitExceeded')), 'limit-exceeded');
    assert.equal(forceOf(trigger('ec2:AuthorizeSecurityGroupEgress', 'Client.RulesPerSecurityGroupLimitExceeded')), undefined);
    assert.equal(forceOf(trigger('elasticloadbalancing:DeleteLoadBalancer')), 'load-balancer-deleted');
  });
});
