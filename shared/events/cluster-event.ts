import { InvalidEventError } from '../errors.ts';
import type { CloudTrailEvent } from './cloudtrail.ts';
import { errorCodeOf, isOwnChange, str } from './cloudtrail.ts';

/** EKS node group calls that change what its ASG should advertise to cluster-autoscaler. */
export const NODEGROUP_EVENT_NAMES = new Set(['CreateNodegroup', 'UpdateNodegroupConfig']);

/** Why an EKS CloudTrail event is handled: an event route and what it names, or nothing to do. */
export type ClusterEventRouting =
  | { kind: 'route'; route: 'nodegroup-changed'; clusterName: string; nodegroupName: string }
  | { kind: 'route'; route: 'cluster-created'; clusterName: string }
  | { kind: 'ignored'; reason: string };

/**
 * Our own calls and failed calls route nowhere; a node group call naming its node group routes to
 * `nodegroup-changed`, any other (CreateCluster) to `cluster-created`. An event naming no cluster is invalid.
 */
export function routeClusterEvent(event: CloudTrailEvent, selfRoleArns: readonly string[]): ClusterEventRouting {
  if (isOwnChange(event, selfRoleArns)) return { kind: 'ignored', reason: 'our own change' };
  const failure = errorCodeOf(event);
  if (failure) return { kind: 'ignored', reason: `failed call (${failure})` };
  const clusterName = clusterNameOf(event);
  if (!clusterName) throw new InvalidEventError('EKS event names no cluster (requestParameters.name)');
  const nodegroupName = nodegroupNameOf(event);
  if (nodegroupName && NODEGROUP_EVENT_NAMES.has(event.detail.eventName)) return { kind: 'route', route: 'nodegroup-changed', clusterName, nodegroupName };
  return { kind: 'route', route: 'cluster-created', clusterName };
}

/** The cluster an EKS call is about: `requestParameters.name` (older samples `clusterName`), URL-decoded. */
export function clusterNameOf(event: CloudTrailEvent): string | undefined {
  const req = (event.detail.requestParameters ?? {}) as Record<string, unknown>;
  const res = (event.detail.responseElements ?? {}) as Record<string, unknown>;
  const fromResponse = (res.cluster as Record<string, unknown> | undefined)?.name ?? (res.nodegroup as Record<string, unknown> | undefined)?.clusterName;
  const raw = str(req.name) ?? str(req.clusterName) ?? str(fromResponse);
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export function nodegroupNameOf(event: CloudTrailEvent): string | undefined {
  const req = (event.detail.requestParameters ?? {}) as Record<string, unknown>;
  const raw = str(req.nodegroupName);
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
