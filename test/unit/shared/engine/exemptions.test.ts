import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterSgBaseline } from '../../../../shared/capabilities/cluster-security-group/cluster-sg-baseline.ts';
import { isExempt, parseExemption } from '../../../../shared/engine/exemptions.ts';
import { plan } from '../../../../shared/engine/plan.ts';
import { allEgress, clusterSg, config, GROUP, snapshot } from '../../../support/snapshots.ts';
import { CHECK_NAMES } from '../../../../shared/capabilities/names.ts';

const KEY = 'eks-guardrails/exempt';
const drifted = (tags: Record<string, string> = {}) => snapshot({ clusterSecurityGroup: clusterSg([allEgress()], tags) });

describe('exemption tags', () => {
  it('reads the accepted forms', () => {
    assert.deepEqual(parseExemption(undefined, CHECK_NAMES), { kind: 'none' });
    assert.deepEqual(parseExemption(' TRUE ', CHECK_NAMES), { kind: 'all' });
    assert.deepEqual(parseExemption('false', CHECK_NAMES), { kind: 'none' });
    assert.deepEqual(parseExemption('cluster-sg-baseline, nlb-rule-headroom', CHECK_NAMES), { kind: 'checks', checks: ['cluster-sg-baseline', 'nlb-rule-headroom'] });
  });

  it('parses exemption values', () => {
    assert.equal(isExempt({ k: 'TRUE' }, 'k', 'a', ['a', 'b']), true);
    assert.equal(isExempt({ k: 'a, b' }, 'k', 'b', ['a', 'b']), true);
    assert.equal(isExempt({ k: 'false' }, 'k', 'a', ['a', 'b']), false);
    assert.equal(isExempt(undefined, 'k', 'a', ['a', 'b']), false);
  });

  // Someone who tried to protect a resource must not see it changed because of how they spelled it.
  for (const [label, value] of [['an empty value', ''], ['a misspelled check name', 'cluster-sg-baselin'], ['";" separators', 'cluster-sg-baseline;nlb-rule-headroom']] as const) {
    it(`${label} exempts from every check and raises a finding naming the tag and the accepted forms`, () => {
      assert.equal(parseExemption(value, CHECK_NAMES).kind, 'not-understood');
      assert.equal(isExempt({ [KEY]: value }, KEY, 'autoscaler-discovery-tags', CHECK_NAMES), true);
      const p = plan([clusterSgBaseline], drifted({ [KEY]: value }), config(), CHECK_NAMES);
      assert.deepEqual(p.actions.map((a) => [a.executable, a.reason]), [[false, `exempt by tag ${KEY}`]]);
      const finding = p.findings.find((f) => f.check === 'exemption-tag');
      assert.ok(finding, 'a finding about the tag');
      assert.equal(finding.resource.id, GROUP);
      assert.equal(finding.severity, 'medium');
      assert.match(finding.title, new RegExp(`Tag ${KEY}=${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} on ${GROUP} is not understood`));
      assert.match(finding.fixHint, /"true" \(every check\), "false", or check names separated by commas \(cluster-sg-baseline, /);
    });
  }

  it('a tag not understood on the cluster holds back every action in it, with one finding on the cluster', () => {
    const snap = drifted();
    snap.cluster.tags = { [KEY]: 'yes please' };
    const p = plan([clusterSgBaseline], snap, config(), CHECK_NAMES);
    assert.deepEqual(p.actions.map((a) => a.executable), [false]);
    assert.deepEqual(p.findings.filter((f) => f.check === 'exemption-tag').map((f) => [f.resource.type, f.resource.id]), [['cluster', snap.cluster.name]]);
  });

  it('a tag that is understood raises no finding', () => {
    const p = plan([clusterSgBaseline], drifted({ [KEY]: 'nlb-rule-headroom' }), config(), CHECK_NAMES);
    assert.deepEqual(p.findings.map((f) => f.check), ['cluster-sg-baseline']);
    assert.equal(p.actions[0]!.executable, true);
  });
});
