import assert from 'node:assert/strict';
import { REGISTRY } from '../../shared/capabilities/registry.ts';
import { describe, it } from 'node:test';
import { CreateLaunchTemplateVersionCommand, ModifyLaunchTemplateCommand } from '@aws-sdk/client-ec2';
import { callLog } from '../../shared/aws/calls.ts';
import { loadConfig } from '../../shared/capabilities/config.ts';
import { reconcile } from '../../shared/engine/reconcile.ts';
import { prefetchNodeLaunchSettings } from '../../shared/capabilities/compliance/node-launch-facets.ts';
import { prefetchClusterAutoScalingGroups } from '../../shared/aws/autoscaling.ts';
import { seedComplianceCluster } from '../../dev/local/compliance-scenario.ts';
import { seedLaunchConfigurationNodes, seedLaunchTemplate } from '../../dev/local/node-launch-scenario.ts';
import { seedSelfManagedAsg } from '../../dev/local/autoscaler-scenario.ts';
import { seedClients } from '../../dev/local/scenario.ts';
import { useMoto } from '../support/moto.ts';

const env = useMoto();
const sweep = { kind: 'schedule' as const };
const CHECK = 'node-imds-hardening';
const dryRun = (extra: Record<string, string> = {}) => loadConfig({ GUARDRAILS_MODE: 'dry-run', ...extra });
const run = (clusterName: string, config = dryRun(), hints = {}) => reconcile({ clusterName, checks: [CHECK], trigger: sweep }, config, { registry: REGISTRY, hints });

describe('node-imds-hardening on moto', () => {
  it('passes the healthy twin: node groups on a template requiring IMDSv2 with hop limit 1, and a hardened launch configuration', async () => {
    const c = await seedComplianceCluster(env.moto, 'good');
    await seedSelfManagedAsg(env.moto, c, 'good-legacy');
    const result = await run('good');
    assert.deepEqual(result.checks, [CHECK]);
    assert.deepEqual(result.findings, []);
  });

  it('finds a managed node group whose template allows IMDSv1 with hop limit 2, and an ASG on a launch configuration without metadata options', async () => {
    const c = await seedComplianceCluster(env.moto, 'open', ['node-imds']);
    await seedLaunchConfigurationNodes(env.moto, c, 'open-old-nodes');
    callLog.reset();
    const result = await run('open');
    assert.deepEqual(result.findings.map((f) => [f.id, f.severity, f.resource.type]).sort(), [
      ['node-imds-hardening:open-old-nodes', 'medium', 'auto-scaling-group'],
      ['node-imds-hardening:open/general-us-east-1a', 'high', 'nodegroup'],
    ]);
    const ng = result.findings.find((f) => f.resource.type === 'nodegroup')!;
    assert.match(ng.title, /allows IMDSv1 \(HttpTokens=optional\)/);
    assert.match(ng.title, /HttpPutResponseHopLimit 2/);
    assert.match(ng.fixHint, /open-nodes-imdsv1/);
    const lc = result.findings.find((f) => f.resource.type === 'auto-scaling-group')!;
    assert.match(lc.title, /launch configuration open-old-nodes-lc does not set HttpTokens=required/);
    assert.match(lc.fixHint, /deprecated/);
    // Two templates (one call each) and one launch configuration call; nothing written.
    assert.equal(callLog.count({ operation: 'DescribeLaunchTemplateVersions' }), 2);
    assert.equal(callLog.count({ operation: 'DescribeLaunchConfigurations' }), 1);
    assert.equal(callLog.count({ mutating: true }), 0);
  });

  it('accepts hop limit 2 only when GUARDRAILS_IMDS_HOP_LIMIT_MAX=2, and never IMDSv1', async () => {
    const c = await seedComplianceCluster(env.moto, 'hops');
    const id = await seedLaunchTemplate(env.moto, 'hops-two', { HttpTokens: 'required', HttpPutResponseHopLimit: 2 });
    const { seedNodegroup } = await import('../../dev/local/compliance-scenario.ts');
    await seedNodegroup(env.moto, 'hops', 'two-hops', { subnets: c.subnetIds, nodeRole: c.nodeRoleArn, launchTemplate: { id, version: '1' } });
    assert.deepEqual((await run('hops')).findings.map((f) => [f.id, f.severity]), [['node-imds-hardening:hops/two-hops', 'high']]);
    assert.deepEqual((await run('hops', dryRun({ GUARDRAILS_IMDS_HOP_LIMIT_MAX: '2' }))).findings, []);
    assert.throws(() => loadConfig({ GUARDRAILS_IMDS_HOP_LIMIT_MAX: '3' }), /GUARDRAILS_IMDS_HOP_LIMIT_MAX must be a whole number from 1 to 2/);
  });

  it('reads the version the node group names, not a newer one', async () => {
    const c = await seedComplianceCluster(env.moto, 'pinned');
    const { ec2 } = seedClients(env.moto);
    const id = await seedLaunchTemplate(env.moto, 'pinned-lt', { HttpTokens: 'optional' });
    // Version 2 is hardened and made the default, but the node group still runs version 1.
    await ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, SourceVersion: '1', LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 } } }));
    await ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: '2' }));
    const { seedNodegroup } = await import('../../dev/local/compliance-scenario.ts');
    await seedNodegroup(env.moto, 'pinned', 'v1-nodes', { subnets: c.subnetIds, nodeRole: c.nodeRoleArn, launchTemplate: { id, version: '1' } });
    const f = (await run('pinned')).findings;
    assert.deepEqual(f.map((x) => x.id), ['node-imds-hardening:pinned/v1-nodes']);
    assert.deepEqual((f[0]!.evidence.sources as { versionNumber?: number }[])[0]!.versionNumber, 1);
  });

  it('says it could not check a template that was deleted, without failing', async () => {
    const c = await seedComplianceCluster(env.moto, 'gone');
    const { seedNodegroup } = await import('../../dev/local/compliance-scenario.ts');
    const id = await seedLaunchTemplate(env.moto, 'gone-lt', { HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
    await seedNodegroup(env.moto, 'gone', 'orphan', { subnets: c.subnetIds, nodeRole: c.nodeRoleArn, launchTemplate: { id, version: '1' } });
    const { DeleteLaunchTemplateCommand } = await import('@aws-sdk/client-ec2');
    await seedClients(env.moto).ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: id }));
    const f = (await run('gone')).findings;
    assert.deepEqual(f.map((x) => [x.id, x.severity]), [['node-imds-hardening:gone/orphan', 'info']]);
    assert.match(f[0]!.title, /Could not check/);
  });

  it('in a sweep, reads each launch template and launch configuration once for all clusters', async () => {
    const a = await seedComplianceCluster(env.moto, 'a');
    const b = await seedComplianceCluster(env.moto, 'b');
    await seedSelfManagedAsg(env.moto, a, 'a-legacy');
    await seedSelfManagedAsg(env.moto, b, 'b-legacy');
    callLog.reset();
    const asgs = await prefetchClusterAutoScalingGroups(['a', 'b']);
    const hints = { autoScalingGroups: asgs, extra: { ...(await prefetchNodeLaunchSettings(asgs)) } };
    for (const name of ['a', 'b']) assert.deepEqual((await run(name, dryRun(), hints)).findings, []);
    // The two legacy ASGs share one launch configuration: one call. Each cluster's node template: one call each.
    assert.equal(callLog.count({ operation: 'DescribeLaunchConfigurations' }), 1);
    assert.equal(callLog.count({ operation: 'DescribeLaunchTemplateVersions' }), 2);
  });

  it('stays off the event path: no launch settings are read for an event', async () => {
    await seedComplianceCluster(env.moto, 'evt', ['node-imds']);
    callLog.reset();
    const result = await reconcile({ clusterName: 'evt', trigger: { kind: 'cloudtrail' } }, dryRun(), { registry: REGISTRY });
    assert.ok(!result.checks.includes(CHECK));
    assert.equal(callLog.count({ operation: 'DescribeLaunchTemplateVersions' }), 0);
    assert.equal(callLog.count({ operation: 'DescribeLaunchConfigurations' }), 0);
  });
});
