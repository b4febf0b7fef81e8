import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secretsEncryption } from '../../../../../shared/capabilities/compliance/secrets-encryption.ts';
import { config, snapshot } from '../../../../support/compliance-fixtures.ts';

describe('secrets-encryption', () => {
  it('reports a cluster without KMS envelope encryption of secrets', () => {
    const out = secretsEncryption.run(snapshot({ encryptionConfigured: false }), config);
    assert.equal(out.findings.length, 1);
    assert.equal(out.findings[0]!.id, 'secrets-encryption:prod');
    assert.equal(out.findings[0]!.severity, 'medium');
    assert.match(out.findings[0]!.fixHint, /associate-encryption-config --cluster-name prod/);
  });

  it('passes an encrypted cluster', () => {
    assert.deepEqual(secretsEncryption.run(snapshot({ encryptionConfigured: true }), config).findings, []);
  });
});
