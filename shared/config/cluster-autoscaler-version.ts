/**
 * Which cluster-autoscaler (CA) version runs: `GUARDRAILS_CLUSTER_AUTOSCALER_VERSION`. A file of its own so the
 * configuration loader (in every bundle) does not pull in the node-template model.
 */
import { ConfigError } from '../errors.ts';

/** A CA release line, `1.<minor>` (CA's minor follows the Kubernetes minor it is built for). */
export interface CaVersion { major: number; minor: number }

/** The newest CA minor released when this was written (tag cluster-autoscaler-1.36.x in kubernetes/autoscaler). */
export const DEFAULT_CA_VERSION = '1.36';

/**
 * First CA minors with each EKS-API behaviour (kubernetes/autoscaler, cloudprovider/aws): the first
 * `cluster-autoscaler-1.N.0` tag containing the commit that added it.
 */
export const CA_READS_EKS_API = 24; // managed_nodegroup_cache.go added (b4cadfb4e2): DescribeNodegroup labels/taints
export const CA_READS_NODEGROUP_RESOURCE_TAGS = 28; // aws_manager.go extractAllocatableResourcesFromTags (3ab6ead79d): node group resources/* tags
export const CA_TRANSLATES_TAINT_EFFECTS = 31; // aws_wrapper.go taintEksTranslator (74a5500ab0); before, NO_SCHEDULE passed through as is

/**
 * `GUARDRAILS_CLUSTER_AUTOSCALER_VERSION`: `1.33`, `v1.33` or `1.33.2` (the patch is ignored). Anything else is
 * a configuration error: guessing a version could make the tag writer drop tags CA still needs.
 */
export function parseCaVersion(raw: string | undefined): string {
  const text = (raw ?? '').trim();
  if (text === '') return DEFAULT_CA_VERSION;
  const m = /^v?(1)\.(\d{1,3})(?:\.\d{1,3})?$/.exec(text);
  if (!m) throw new ConfigError(`GUARDRAILS_CLUSTER_AUTOSCALER_VERSION must be the cluster-autoscaler version you run, like "${DEFAULT_CA_VERSION}" (1.<minor>), got "${raw}"`);
  return `${m[1]}.${Number(m[2])}`;
}

export function caVersion(text: string | undefined): CaVersion {
  const [major, minor] = parseCaVersion(text).split('.').map(Number) as [number, number];
  return { major, minor };
}

