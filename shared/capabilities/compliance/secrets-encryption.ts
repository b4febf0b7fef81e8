import type { Check, CheckOutcome, ClusterSnapshot } from '../../types/index.ts';

import { SECRETS_ENCRYPTION } from './names.ts';

/** Kubernetes Secrets envelope-encrypted with a KMS key (EKS encryptionConfig with resource `secrets`). */
export const secretsEncryption: Check = {
  name: SECRETS_ENCRYPTION,
  description: 'Kubernetes Secrets are envelope-encrypted with a KMS key.',
  defaultMode: 'report',
  facets: [],
  triggers: ['sweep'],
  run(snapshot: ClusterSnapshot): CheckOutcome {
    const { cluster } = snapshot;
    if (cluster.encryptionConfigured !== false) return { findings: [], actions: [] };
    return {
      findings: [{
        id: `${SECRETS_ENCRYPTION}:${cluster.name}`,
        check: SECRETS_ENCRYPTION,
        severity: 'medium',
        resource: { type: 'cluster', id: cluster.name, arn: cluster.arn },
        title: `Cluster ${cluster.name} does not envelope-encrypt Kubernetes Secrets with KMS`,
        evidence: { encryptionConfig: 'none for resource "secrets"' },
        fixHint: `aws eks associate-encryption-config --cluster-name ${cluster.name} --encryption-config '[{"resources":["secrets"],"provider":{"keyArn":"<kms key arn>"}}]'. It cannot be turned off afterwards, and deleting the key makes the cluster unrecoverable: use a key with a deletion guard.`,
      }],
      actions: [],
    };
  },
};
