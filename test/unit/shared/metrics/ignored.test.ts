import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ignoreReason, ignoredReasonOf } from '../../../../shared/metrics/ignored.ts';

describe('ignoreReason', () => {
  it('maps every sentence the handlers ignore an event with to its kind, without the names in it', () => {
    const cases: [string, string][] = [
      // on-sg-event, on-cluster-event, on-asg-event (shared/events/asg-event.ts)
      ['our own change', 'own-change'],
      ['failed call (Client.InvalidPermission.Duplicate)', 'failed-call'],
      ['security group not found', 'group-not-found'],
      ['no cluster owns the security group', 'not-cluster-group'],
      ['not a Kubernetes-named NLB', 'not-kubernetes-nlb'],
      ['no cluster security group holds rules of a1b2c3d4e5f6', 'no-nlb-rules'],
      // on-cluster-event (shared/capabilities/autoscaler/nodegroup-event.ts)
      ['node group prod/ng-1 not found', 'nodegroup-not-found'],
      ['node group ng-1 is DELETING', 'nodegroup-gone'],
      ['node group ng-1 is CREATE_FAILED', 'nodegroup-gone'],
      // on-asg-event's skipped Auto Scaling groups
      ['verified 42 s ago', 'recently-verified'],
      ['Auto Scaling group not found (deleted)', 'asg-not-found'],
      ['no tie to any EKS cluster: left alone', 'not-cluster-asg'],
      ['already processed (tags in place); a launch says nothing about tags', 'already-processed'],
      ['cluster prod is CREATING', 'cluster-not-ready'],
      // notify
      ['severity low is below medium', 'below-min-severity'],
    ];
    for (const [sentence, kind] of cases) assert.equal(ignoreReason(sentence), kind, sentence);
  });

  it('anything else is `other`: a new sentence never becomes a new dimension value', () => {
    for (const s of ['', 'sg-0123456789abcdef0', 'something new happened', 'node group a b not found']) assert.equal(ignoreReason(s), 'other', s);
  });

  it('reads the reason from a flow result that ignored or skipped its event, and only from those', () => {
    assert.equal(ignoredReasonOf({ status: 'ignored', reason: 'our own change' }), 'our own change');
    assert.equal(ignoredReasonOf({ status: 'skipped', reason: 'severity low is below medium' }), 'severity low is below medium');
    assert.equal(ignoredReasonOf({ status: 'deferred', reason: 'cluster prod is CREATING' }), undefined);
    assert.equal(ignoredReasonOf({ status: 'reconciled' }), undefined);
    assert.equal(ignoredReasonOf(undefined), undefined);
  });
});
