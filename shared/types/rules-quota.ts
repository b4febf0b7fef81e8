/**
 * The AWS default for "Inbound or outbound rules per security group" (vpc / L-0EA8095F), the smallest value
 * the quota can have: https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups
 * Here, not in the NLB headroom capability, because the Service Quotas adapter falls back to it and core
 * imports no capability.
 */
export const DEFAULT_RULES_PER_GROUP = 60;

/** The rules-per-security-group quota as Service Quotas answered it, or the default and why. */
export interface QuotaValue {
  value: number;
  source: 'service-quotas' | 'default';
  /** Why the default was used (the quota call failed), in words. */
  note?: string;
}
