import type { CloudTrailEvent } from './cloudtrail.ts';
import { str } from './cloudtrail.ts';

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
