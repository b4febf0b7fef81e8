import type { CloudTrailEvent } from '../../events/cloudtrail.ts';
import { str } from '../../events/cloudtrail.ts';
import { LB_NAME, nlbNameFromArn } from './nlb-rules.ts';

/** An ELBv2 `DeleteLoadBalancer` of an NLB whose name the Kubernetes cloud provider could have chosen. */
export interface DeletedNlb {
  arn: string;
  lbName: string;
}

export function isLoadBalancerDeletion(event: CloudTrailEvent): boolean {
  return event.detail.eventSource === 'elasticloadbalancing.amazonaws.com' && event.detail.eventName === 'DeleteLoadBalancer';
}

/**
 * The NLB a DeleteLoadBalancer call named, or undefined for ALBs, gateway LBs, classic ELBs (they carry
 * `loadBalancerName`, no ARN) and NLBs not named like the cloud provider's (`a` + 31 hex digits).
 */
export function deletedNlbOf(event: CloudTrailEvent): DeletedNlb | undefined {
  const arn = str((event.detail.requestParameters ?? {}).loadBalancerArn);
  const lbName = nlbNameFromArn(arn);
  if (!arn || !lbName || !LB_NAME.test(lbName)) return undefined;
  return { arn, lbName };
}
