import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CA_VERSION, parseCaVersion } from '../../shared/config/cluster-autoscaler-version.ts';
import { loadTemplate } from '../../dev/local/template.ts';

const template = loadTemplate() as ReturnType<typeof loadTemplate> & {
  Parameters: Record<string, { Default?: unknown; AllowedPattern?: string }>;
  Globals: { Function: { Environment: { Variables: Record<string, unknown> } } };
};

describe('template parameter ClusterAutoscalerVersion', () => {
  const param = template.Parameters.ClusterAutoscalerVersion!;

  it('defaults to the code\'s default and reaches every function as GUARDRAILS_CLUSTER_AUTOSCALER_VERSION', () => {
    assert.equal(param.Default, DEFAULT_CA_VERSION);
    assert.deepEqual(template.Globals.Function.Environment.Variables.GUARDRAILS_CLUSTER_AUTOSCALER_VERSION, { Ref: 'ClusterAutoscalerVersion' });
  });

  it('accepts at deploy time exactly what the configuration accepts', () => {
    const pattern = new RegExp(param.AllowedPattern!);
    const accepted = (raw: string) => { try { parseCaVersion(raw); return true; } catch { return false; } };
    for (const raw of ['1.23', '1.36', 'v1.33', '1.33.2', 'latest', '1', '2.1', '1.x', '1.33-eks', '1.1234']) {
      assert.equal(pattern.test(raw), accepted(raw), raw);
    }
  });
});
