import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrailEvent } from '../../../../../shared/events/cloudtrail.ts';
import { deletedNlbOf, isLoadBalancerDeletion } from '../../../../../shared/capabilities/nlb-headroom/lb-event.ts';
import { loadSample } from '../../../../../dev/local/samples.ts';

describe('DeleteLoadBalancer events', () => {
  it('names the deleted NLB', () => {
    const event = parseCloudTrailEvent(loadSample('on-sg-event/delete-nlb.json'));
    assert.equal(isLoadBalancerDeletion(event), true);
    assert.deepEqual(deletedNlbOf(event), {
      arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/a1b2c3d4e5f60718293a4b5c6d7e8f90/5f2e8c1d3b4a6978',
      lbName: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    });
  });
  it('ignores ALBs, classic ELBs and NLBs not named by the cloud provider', () => {
    assert.equal(deletedNlbOf(parseCloudTrailEvent(loadSample('unmatched/delete-alb.json'))), undefined);
    assert.equal(deletedNlbOf(parseCloudTrailEvent(loadSample('unmatched/delete-classic-elb.json'))), undefined);
    const custom = loadSample('on-sg-event/delete-nlb.json');
    (custom.detail as { requestParameters: Record<string, string> }).requestParameters.loadBalancerArn = 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/my-nlb/abc';
    assert.equal(deletedNlbOf(parseCloudTrailEvent(custom)), undefined);
  });
});
