import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { listLoadBalancerNames, listTargetGroups } from '../../../../shared/aws/elbv2.ts';
import { containerCaches } from '../../../../shared/state/cache.ts';

const elb = mockClient(ElasticLoadBalancingV2Client);
afterEach(() => { elb.reset(); containerCaches.clear(); });

describe('load balancer lookup', () => {
  it('follows NextMarker page by page', async () => {
    elb.on(DescribeLoadBalancersCommand, { Marker: undefined }).resolves({ LoadBalancers: [{ LoadBalancerName: 'a' }], NextMarker: 'm1' })
      .on(DescribeLoadBalancersCommand, { Marker: 'm1' }).resolves({ LoadBalancers: [{ LoadBalancerName: 'b' }] });
    assert.deepEqual(await listLoadBalancerNames(), { names: ['a', 'b'], pages: 2 });
  });
});

describe('target group lookup', () => {
  it('follows NextMarker page by page and keeps ports, health-check ports and load balancers', async () => {
    elb.on(DescribeTargetGroupsCommand, { Marker: undefined }).resolves({ TargetGroups: [{ TargetGroupName: 'k8s-a', Protocol: 'TCP', Port: 31005, HealthCheckPort: 'traffic-port', TargetType: 'instance', LoadBalancerArns: ['arn:lb'] }], NextMarker: 'm1' })
      .on(DescribeTargetGroupsCommand, { Marker: 'm1' }).resolves({ TargetGroups: [{ TargetGroupName: 'k8s-b', Protocol: 'UDP', Port: 31053 }] });
    assert.deepEqual(await listTargetGroups(), { pages: 2, targetGroups: [
      { name: 'k8s-a', protocol: 'TCP', port: 31005, healthCheckPort: 'traffic-port', targetType: 'instance', loadBalancerArns: ['arn:lb'] },
      { name: 'k8s-b', protocol: 'UDP', port: 31053, loadBalancerArns: [] },
    ] });
  });
});
