/**
 * The name of every check the registry holds, as plain strings: configuration and exemption tags are
 * validated against it without importing the checks themselves (the notifier never runs a check).
 * test/unit/checks/names.test.ts keeps it equal to registry.ts's CHECKS.
 */
export const CHECK_NAMES = [
  'cluster-sg-baseline',
  'autoscaler-discovery-tags',
  'autoscaler-node-template-tags',
  'control-plane-logging',
  'public-endpoint',
  'kubernetes-version-support',
  'secrets-encryption',
  'iam-role-policies',
  'multi-az-ebs',
  'cluster-access-posture',
  'nlb-rule-headroom',
  'scale-from-zero-readiness',
  'node-imds-hardening',
  'nlb-preflight',
] as const;

export function isCheckName(name: string): boolean {
  return (CHECK_NAMES as readonly string[]).includes(name);
}
