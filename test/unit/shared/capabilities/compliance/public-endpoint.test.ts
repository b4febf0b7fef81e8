import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { publicEndpoint } from '../../../../../shared/capabilities/compliance/public-endpoint.ts';
import { config, snapshot } from '../../../../support/compliance-fixtures.ts';

describe('public-endpoint', () => {
  it('reports a public endpoint open to 0.0.0.0/0', () => {
    const out = publicEndpoint.run(snapshot({ endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] }), config);
    assert.equal(out.findings.length, 1);
    assert.equal(out.findings[0]!.id, 'public-endpoint:prod');
    assert.equal(out.findings[0]!.severity, 'high');
    assert.deepEqual(out.findings[0]!.evidence.openTo, ['0.0.0.0/0']);
  });

  it('reports ::/0 among narrower CIDRs', () => {
    const out = publicEndpoint.run(snapshot({ endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24', '::/0'] }), config);
    assert.deepEqual(out.findings[0]?.evidence.openTo, ['::/0']);
  });

  it('treats a public endpoint without a CIDR list as open (EKS defaults it to 0.0.0.0/0)', () => {
    assert.equal(publicEndpoint.run(snapshot({ endpointPublicAccess: true, publicAccessCidrs: undefined }), config).findings.length, 1);
  });

  it('passes a restricted public endpoint and a private-only one', () => {
    assert.deepEqual(publicEndpoint.run(snapshot({ endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] }), config).findings, []);
    assert.deepEqual(publicEndpoint.run(snapshot({ endpointPublicAccess: false, publicAccessCidrs: ['0.0.0.0/0'] }), config).findings, []);
  });
});
