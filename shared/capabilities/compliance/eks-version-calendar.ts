import type { ClusterVersionInfo } from '../../types/index.ts';

/**
 * Fallback when DescribeClusterVersions is not available (older partitions, moto, no permission): end of
 * standard and extended support per minor version, from the EKS Kubernetes release calendar
 * (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html), checked 2026-11.
 * Standard support is 14 months from release, extended support 12 more. Update when EKS ships a version;
 * findings name the source, so a stale table is visible.
 */
export const EKS_VERSION_CALENDAR: readonly ClusterVersionInfo[] = [
  { version: '1.24', endOfStandardSupport: '2024-01-31', endOfExtendedSupport: '2025-01-31' },
  { version: '1.25', endOfStandardSupport: '2024-05-01', endOfExtendedSupport: '2025-05-01' },
  { version: '1.26', endOfStandardSupport: '2024-06-11', endOfExtendedSupport: '2025-06-11' },
  { version: '1.27', endOfStandardSupport: '2024-07-24', endOfExtendedSupport: '2025-07-24' },
  { version: '1.28', endOfStandardSupport: '2024-11-26', endOfExtendedSupport: '2025-11-26' },
  { version: '1.29', endOfStandardSupport: '2025-03-23', endOfExtendedSupport: '2026-03-23' },
  { version: '1.30', endOfStandardSupport: '2025-07-23', endOfExtendedSupport: '2026-07-23' },
  { version: '1.31', endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26' },
  { version: '1.32', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23' },
  { version: '1.33', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' },
  { version: '1.34', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
  { version: '1.35', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' },
];
