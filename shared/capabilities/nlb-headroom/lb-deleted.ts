import type { SecurityGroupState } from '../../types/index.ts';
import { describeSecurityGroups } from '../../aws/ec2.ts';
import type { CloudTrailEvent } from '../../events/cloudtrail.ts';
import { deletedNlbOf } from './lb-event.ts';
import { parseNlbDescription } from './nlb-rules.ts';

/**
 * An NLB was deleted: its rules become candidates (the grace period starts now). The groups to look at are
 * those holding rules the cloud provider wrote for that lbName — one paginated describe of the region's
 * cluster-tagged groups finds them.
 */
export async function groupsOfDeletedNlb(event: CloudTrailEvent): Promise<{ resourceId: string; groups: SecurityGroupState[] } | { ignored: string; groupIds?: string[] }> {
  const nlb = deletedNlbOf(event);
  if (!nlb) return { ignored: 'not a Kubernetes-named NLB' };
  const tagged = await describeSecurityGroups([{ Name: 'tag-key', Values: ['kubernetes.io/cluster/*'] }]);
  const groups = tagged.filter((g) => g.rules.some((r) => r.direction === 'ingress' && parseNlbDescription(r.description)?.lbName === nlb.lbName));
  if (groups.length === 0) return { ignored: `no cluster security group holds rules of ${nlb.lbName}` };
  return { resourceId: nlb.arn, groups };
}
