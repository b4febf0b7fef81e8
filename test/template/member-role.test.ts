import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { loadTemplate } from '../../dev/local/template.ts';

const FILE = fileURLToPath(new URL('../../infra/member-role.yaml', import.meta.url));
const template = loadTemplate(FILE) as ReturnType<typeof loadTemplate> & {
  Parameters: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown>; Condition?: string }>;
};

describe('infra/member-role.yaml', () => {
  it('passes cfn-lint with nothing to report', () => {
    const r = spawnSync('cfn-lint', [FILE], { encoding: 'utf8' });
    assert.ok(!r.error, `cfn-lint could not run (${r.error?.message}); install it with: pip install cfn-lint`);
    assert.equal(`${r.stdout}${r.stderr}`.trim(), '');
  });

  it('trusts only the guardrails stack\'s SweepRole, and writes only when remediation is allowed', () => {
    const role = template.Resources.MemberRole!;
    assert.equal(role.Type, 'AWS::IAM::Role');
    const trust = JSON.stringify(role.Properties.AssumeRolePolicyDocument);
    assert.match(trust, /aws:PrincipalArn/);
    assert.match(trust, /role\/\$\{GuardrailsStackName\}-SweepRole-\*/);
    const readOnly = JSON.stringify(role.Properties.Policies);
    assert.doesNotMatch(readOnly, /Authorize|Revoke|CreateTags|CreateOrUpdateTags|UpdateClusterConfig/, 'the role itself is read-only');
    assert.equal(template.Resources.RemediationPolicy?.Condition, 'Remediate');
    assert.ok(template.Parameters.AllowRemediation);
  });

  it('grants no wildcard actions', () => {
    const actions = JSON.stringify(template.Resources).match(/"Action":(\[[^\]]*\]|"[^"]*")/g) ?? [];
    assert.ok(actions.length > 0);
    for (const a of actions) assert.doesNotMatch(a, /"[a-z0-9-]+:\*"|"\*"/, a);
  });
});
