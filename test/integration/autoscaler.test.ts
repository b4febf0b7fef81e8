import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { CreateOrUpdateTagsCommand, DeleteTagsCommand } from '@aws-sdk/client-auto-scaling';
import { UpdateNodegroupConfigCommand } from '@aws-sdk/client-eks';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { callLog } from '../../shared/aws/calls.ts';
import { asSqsEvent } from '../../dev/cli/lambda-context.ts';
import { asgSeedClients, asgTags, createAsg, seedManagedNodegroup, seedSelfManagedAsg } from '../../dev/local/autoscaler-scenario.ts';
import { LocalRouter } from '../../dev/local/router.ts';
import { loadSample, listSamples } from '../../dev/local/samples.ts';
import { seedClients, seedCluster, type SeededCluster } from '../../dev/local/scenario.ts';
import { loadTemplate, selfRoleArns } from '../../dev/local/template.ts';
import { handler as onAsgEvent } from '../../functions/on-asg-event/handler.ts';
import type { AsgBatchResult } from '../../shared/capabilities/autoscaler/asg-batch.ts';
import { containerCaches } from '../../shared/state/cache.ts';
import { handler as onClusterEvent, type ClusterEventResult } from '../../functions/on-cluster-event/handler.ts';
import type { AsgTag } from '../../shared/types/index.ts';
import { invokeHandler } from '../support/lambda.ts';
import { useMoto, withEnv } from '../support/moto.ts';

// These tests pin the complete node-template tag set, as written for a cluster-autoscaler that reads only ASG
// tags (before 1.24); what a newer one reads from the EKS API instead: test/integration/scale-from-zero.test.ts.
const env = useMoto({ GUARDRAILS_SELF_ROLE_ARN: selfRoleArns(loadTemplate()).join(','), GUARDRAILS_CLUSTER_AUTOSCALER_VERSION: '1.23' });

const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' as const };
const T = 'k8s.io/cluster-autoscaler/node-template/';

function asMap(tags: AsgTag[]): Record<string, string> {
  return Object.fromEntries(tags.map((t) => [t.key, t.value]));
}

async function gpuCluster(opts: { extraAsgTags?: Record<string, string>; labels?: Record<string, string> } = {}): Promise<{ cluster: SeededCluster; asgName: string }> {
  const cluster = await seedCluster(env.moto, 'prod');
  const { asgName } = await seedManagedNodegroup(env.moto, cluster, {
    name: 'gpu', labels: opts.labels ?? { role: 'gpu' }, taints: [GPU_TAINT], minSize: 0, diskSize: 100, extraAsgTags: opts.extraAsgTags,
  });
  callLog.reset();
  return { cluster, asgName };
}

const nodegroupEvent = (file: string) => loadSample(`on-cluster-event/${file}`);
const asgEvent = (file: string, asgName: string) => loadSample(`on-asg-event/${file}`, { asgName });

async function clusterEvent(event: unknown): Promise<ClusterEventResult> {
  return invokeHandler<ClusterEventResult>(onClusterEvent, event);
}

async function asgBatch(events: unknown[]): Promise<AsgBatchResult & { batchItemFailures: { itemIdentifier: string }[] }> {
  return invokeHandler(onAsgEvent, asSqsEvent(events, 'asg-event-queue'));
}

const writes = () => callLog.count({ service: 'AutoScaling', mutating: true });

describe('autoscaler tags on moto', () => {
  it('tags a managed node group ASG with exactly the expected node-template tags', async () => {
    const { asgName } = await gpuCluster();
    const result = await clusterEvent(nodegroupEvent('create-nodegroup.json'));
    assert.equal(result.status, 'reconciled');
    const tags = await asgTags(env.moto, asgName);
    assert.deepEqual(asMap(tags), {
      'eks:cluster-name': 'prod',
      'eks:nodegroup-name': 'gpu',
      'kubernetes.io/cluster/prod': 'owned',
      'k8s.io/cluster-autoscaler/enabled': 'true',
      'k8s.io/cluster-autoscaler/prod': 'owned',
      [`${T}label/role`]: 'gpu',
      [`${T}taint/nvidia.com/gpu`]: 'true:NoSchedule',
      [`${T}resources/ephemeral-storage`]: '100Gi',
      'eks-guardrails/node-template-keys': 'l/role r/ephemeral-storage t/nvidia.com/gpu',
    });
    for (const t of tags.filter((x) => x.key.startsWith(T) || x.key.startsWith('eks-guardrails/'))) assert.equal(t.propagateAtLaunch, false, t.key);
    assert.equal(writes(), 1, 'one CreateOrUpdateTags call');
    // DescribeNodegroup + DescribeAutoScalingGroups + DescribeCluster + the write.
    assert.equal(callLog.all().length, 4, JSON.stringify(callLog.summary()));
  });

  it('removes only our template tag when a label is removed through UpdateNodegroupConfig', async () => {
    const { asgName } = await gpuCluster({ extraAsgTags: { [`${T}label/team`]: 'ml' } });
    await clusterEvent(nodegroupEvent('create-nodegroup.json'));
    const before = asMap(await asgTags(env.moto, asgName));
    assert.equal(before[`${T}label/role`], 'gpu');

    const { eks } = asgSeedClients(env.moto);
    await eks.send(new UpdateNodegroupConfigCommand({ clusterName: 'prod', nodegroupName: 'gpu', labels: { removeLabels: ['role'] } }));
    callLog.reset();
    const result = await clusterEvent(nodegroupEvent('update-nodegroup-config.json'));
    assert.equal(result.status, 'reconciled');
    const after = asMap(await asgTags(env.moto, asgName));
    const expected = { ...before };
    delete expected[`${T}label/role`];
    expected['eks-guardrails/node-template-keys'] = 'r/ephemeral-storage t/nvidia.com/gpu';
    assert.deepEqual(after, expected);
    assert.equal(after[`${T}label/team`], 'ml', "a person's template tag stays");
    assert.deepEqual(callLog.summary()['AutoScaling.DeleteTags'], 1);
    // The person's tag for a label the node group does not have is reported, not removed.
    const findings = result.status === 'reconciled' ? result.results[0]!.findings : [];
    assert.ok(findings.some((f) => f.id.endsWith(`foreign:${T}label/team`)), JSON.stringify(findings.map((f) => f.id)));
  });

  it('gives a self-managed ASG the discovery tags and never an eks:* tag; warns about scale-from-zero', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const name = await seedSelfManagedAsg(env.moto, cluster, 'prod-workers', { minSize: 0, tags: { 'alpha.eksctl.io/cluster-name': 'prod' } });
    callLog.reset();
    const result = await asgBatch([asgEvent('update-asg-min-zero.json', name)]);
    assert.deepEqual(result.batchItemFailures, []);
    const tags = asMap(await asgTags(env.moto, name));
    assert.equal(tags['k8s.io/cluster-autoscaler/enabled'], 'true');
    assert.equal(tags['k8s.io/cluster-autoscaler/prod'], 'owned');
    assert.deepEqual(Object.keys(tags).filter((k) => k.startsWith('eks:') || k.startsWith(T) || k.startsWith('eks-guardrails/')), ['eks-guardrails/discovery-keys']);
    assert.equal(tags['eks-guardrails/discovery-keys'], 'enabled prod', 'our record of what we wrote (a later removal is a decision)');
    const findings = result.results.flatMap((r) => r.findings);
    assert.ok(findings.some((f) => f.id === `autoscaler-node-template-tags:${name}:self-managed-scale-from-zero`));
    assert.equal(writes(), 1);
  });

  it('leaves an ASG with no tie to a cluster untouched', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    await createAsg(env.moto, 'batch-jobs', cluster, 0, 3, { team: 'data' });
    callLog.reset();
    const before = await asgTags(env.moto, 'batch-jobs');
    const result = await asgBatch([asgEvent('instance-launch.json', 'batch-jobs'), asgEvent('update-asg-min-zero.json', 'batch-jobs')]);
    assert.deepEqual(await asgTags(env.moto, 'batch-jobs'), before);
    assert.equal(callLog.count({ mutating: true }), 0);
    assert.equal(result.results.length, 0);
    assert.match(result.skipped[0]!.reason, /no tie/);
  });

  it('respects the 50-tag budget on an ASG already holding 48 tags and reports what was dropped', async () => {
    const filler = Object.fromEntries(Array.from({ length: 43 }, (_, i) => [`cost/center-${i}`, `v${i}`]));
    const { asgName } = await gpuCluster({ extraAsgTags: filler, labels: { role: 'gpu', team: 'ml' } });
    assert.equal((await asgTags(env.moto, asgName)).length, 48);
    const result = await clusterEvent(nodegroupEvent('create-nodegroup.json'));
    const tags = await asgTags(env.moto, asgName);
    assert.equal(tags.length, 50);
    // Taints first: the one slot left after our bookkeeping tag goes to the taint.
    assert.equal(asMap(tags)[`${T}taint/nvidia.com/gpu`], 'true:NoSchedule');
    const findings = result.status === 'reconciled' ? result.results[0]!.findings : [];
    const dropped = findings.find((f) => f.id === `autoscaler-node-template-tags:${asgName}:dropped`);
    assert.ok(dropped, JSON.stringify(findings.map((f) => f.id)));
    const keys = (dropped.evidence.dropped as { key: string; reason: string }[]).map((d) => `${d.key} (${d.reason})`).sort();
    assert.deepEqual(keys, [`${T}label/role (tag-limit)`, `${T}label/team (tag-limit)`, `${T}resources/ephemeral-storage (tag-limit)`]);
  });

  it("restores our tag after a person's DeleteTags and reports who did it", async () => {
    const { asgName } = await gpuCluster();
    await clusterEvent(nodegroupEvent('create-nodegroup.json'));
    const { autoscaling } = asgSeedClients(env.moto);
    await autoscaling.send(new DeleteTagsCommand({ Tags: [{ ResourceId: asgName, ResourceType: 'auto-scaling-group', Key: `${T}taint/nvidia.com/gpu` }] }));
    callLog.reset();
    const result = await asgBatch([asgEvent('delete-tags.json', asgName)]);
    assert.equal(asMap(await asgTags(env.moto, asgName))[`${T}taint/nvidia.com/gpu`], 'true:NoSchedule');
    assert.equal(writes(), 1);
    assert.equal(result.groups[0]!.trigger.apiCall, 'autoscaling:DeleteTags');
    assert.equal(result.groups[0]!.trigger.actor, 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/john.roe');
    assert.equal(result.results[0]!.trigger.actor, 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/john.roe');
  });

  it('never changes the value of a tag a person set (discovery or template)', async () => {
    const { asgName } = await gpuCluster({ extraAsgTags: { [`${T}taint/nvidia.com/gpu`]: 'true' } });
    const { autoscaling } = asgSeedClients(env.moto);
    await autoscaling.send(new CreateOrUpdateTagsCommand({ Tags: [{ ResourceId: asgName, ResourceType: 'auto-scaling-group', Key: 'k8s.io/cluster-autoscaler/enabled', Value: 'yes', PropagateAtLaunch: false }] }));
    const result = await asgBatch([asgEvent('create-or-update-tags.json', asgName)]);
    const tags = asMap(await asgTags(env.moto, asgName));
    assert.equal(tags['k8s.io/cluster-autoscaler/enabled'], 'yes');
    assert.equal(tags[`${T}taint/nvidia.com/gpu`], 'true', 'eksctl-style value left alone');
    assert.equal(tags[`${T}label/role`], 'gpu');
    const conflict = result.results.flatMap((r) => r.findings).find((f) => f.id.endsWith(`conflict:${T}taint/nvidia.com/gpu`));
    assert.ok(conflict);
    assert.match(conflict.title, /eksctl#7543/);
  });

  it('enabled=false: discovery left as is, reported as still managed by CA (key-only discovery), template kept', async () => {
    const { asgName } = await gpuCluster({ extraAsgTags: { 'k8s.io/cluster-autoscaler/enabled': 'false' } });
    const before = asMap(await asgTags(env.moto, asgName));
    const result = await clusterEvent(nodegroupEvent('create-nodegroup.json'));
    const after = asMap(await asgTags(env.moto, asgName));
    assert.deepEqual(Object.keys(after).filter((k) => !k.startsWith(T) && !k.startsWith('eks-guardrails/')).map((k) => `${k}=${after[k]}`), Object.keys(before).map((k) => `${k}=${before[k]}`));
    assert.equal(after[`${T}label/role`], 'gpu', 'CA still manages the group: its template is kept right');
    assert.ok(result.status === 'reconciled' && result.results[0]!.findings.some((f) => f.id.endsWith(':enabled-false') && f.severity === 'medium'));
  });

  it('makes zero writes in dry-run and plans the same actions', async () => {
    const { asgName } = await gpuCluster();
    const before = await asgTags(env.moto, asgName);
    const result = await withEnv({ GUARDRAILS_MODE: 'dry-run' }, () => clusterEvent(nodegroupEvent('create-nodegroup.json')));
    assert.deepEqual(await asgTags(env.moto, asgName), before);
    assert.equal(callLog.count({ mutating: true }), 0);
    assert.ok(result.status === 'reconciled');
    const actions = result.results[0]!.actions;
    assert.ok(actions.length > 0 && actions.every((a) => a.status === 'planned' && a.reason === 'dry-run'));
  });

  it('replaying every event after convergence writes nothing', async () => {
    const { asgName } = await gpuCluster();
    const cluster = { clusterName: 'prod' };
    const self = await seedSelfManagedAsg(env.moto, { ...(await seedClusterLike()), ...cluster } as SeededCluster, 'prod-workers');
    await clusterEvent(nodegroupEvent('create-nodegroup.json'));
    await asgBatch([asgEvent('update-asg-min-zero.json', self)]);
    callLog.reset();
    containerCaches.clear(); // level-triggered, not cached: every replay really re-reads
    for (const file of ['create-nodegroup.json', 'update-nodegroup-config.json']) await clusterEvent(nodegroupEvent(file));
    const samples = listSamples().filter((s) => s.startsWith('on-asg-event/')).map((s) => s.slice('on-asg-event/'.length));
    for (const file of samples) {
      await asgBatch([asgEvent(file, asgName)]);
      await asgBatch([asgEvent(file, self)]);
    }
    assert.ok(callLog.count({ mutating: false }) > 0);
    assert.equal(callLog.count({ mutating: true }), 0, JSON.stringify(callLog.summary()));
  });

  it('defers CreateNodegroup durably until the ASG exists, then tags it', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const { asgName } = await seedManagedNodegroup(env.moto, cluster, { name: 'gpu', labels: { role: 'gpu' }, taints: [GPU_TAINT], withoutAsg: true });
    await env.moto.patchNodegroup('prod', 'gpu', { status: 'CREATING' }); // as EKS reports it when CreateNodegroup arrives
    const sqs = new SQSClient(seedClients(env.moto).config);
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'retry' }))).QueueUrl!;
    await withEnv({ GUARDRAILS_RETRY_QUEUE_URL: queueUrl }, async () => {
      const first = await clusterEvent(nodegroupEvent('create-nodegroup.json'));
      assert.equal(first.status, 'deferred');
      const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }));
      assert.equal(attrs.Attributes?.ApproximateNumberOfMessagesDelayed, '1', 'the event waits, delayed, on the retry queue');
      // As EKS creates it: its CreateAutoScalingGroup carries the discovery keys (events/on-asg-event/create-asg-by-eks.json).
      await createAsg(env.moto, asgName, cluster, 0, 10, {
        'eks:cluster-name': 'prod', 'eks:nodegroup-name': 'gpu', 'kubernetes.io/cluster/prod': 'owned',
        'k8s.io/cluster-autoscaler/enabled': 'true', 'k8s.io/cluster-autoscaler/prod': 'owned',
      });
      // What the retry queue delivers once the delay is over: the original event and its attempt number.
      const deferred = { deferredEvent: nodegroupEvent('create-nodegroup.json'), attempt: 1 };
      const retried = await invokeHandler<{ batchItemFailures: unknown[] }>(onClusterEvent, asSqsEvent([deferred], 'retry'));
      assert.deepEqual(retried.batchItemFailures, []);
    });
    const tags = asMap(await asgTags(env.moto, asgName));
    assert.equal(tags[`${T}label/role`], 'gpu');
    assert.equal(tags['k8s.io/cluster-autoscaler/enabled'], 'true');
  });

  it('coalesces a burst of launch events: one reconcile per cluster, ≤ 3 calls per ASG, then none', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const names: string[] = [];
    for (let i = 0; i < 4; i++) names.push((await seedManagedNodegroup(env.moto, cluster, { name: `ng${i}`, labels: { pool: `p${i}` } })).asgName);
    names.push(await seedSelfManagedAsg(env.moto, cluster, 'prod-workers', { minSize: 1 }));
    containerCaches.clear();
    callLog.reset();
    const burst = Array.from({ length: 100 }, (_, i) => asgEvent('instance-launch.json', names[i % names.length]!));
    const result = await asgBatch(burst);
    assert.equal(result.asgs, 5);
    assert.equal(result.groups.length, 1);
    assert.ok(callLog.all().length <= 3 * names.length, JSON.stringify(callLog.summary()));
    callLog.reset();
    await asgBatch(burst);
    assert.equal(callLog.all().length, 0, 'recently verified ASGs cost nothing on the next batch');
    containerCaches.clear(); // another (cold) container: one describe shows the tags are in place
    const cold = await asgBatch(burst);
    assert.deepEqual(callLog.summary(), { 'AutoScaling.DescribeAutoScalingGroups': 1 });
    assert.equal(cold.groups.length, 0);
  });

  it("ignores our own tag writes: the rule pattern drops them, and the code does too", async () => {
    const router = await LocalRouter.fromTemplate(env.moto);
    const routed = await router.route([loadSample('unmatched/own-create-or-update-tags.json')]);
    assert.deepEqual(routed, []);
    const result = await asgBatch([loadSample('unmatched/own-create-or-update-tags.json')]);
    assert.equal(result.ignored[0]?.reason, 'our own change');
    assert.equal(callLog.all().length, 0);
  });

  it('`eks-guardrails invoke on-asg-event` wraps the event as its queue would and prints the batch result', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const name = await seedSelfManagedAsg(env.moto, cluster, 'prod-workers');
    const bin = fileURLToPath(new URL('../../bin/eks-guardrails.mjs', import.meta.url));
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, 'invoke', 'on-asg-event', '-'], { env: { ...process.env, ...env.moto.env() } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(JSON.stringify(asgEvent('update-asg-min-zero.json', name)));
    });
    assert.equal(out.code, 0, out.stderr);
    const result = JSON.parse(out.stdout) as AsgBatchResult & { batchItemFailures: unknown[] };
    assert.deepEqual([result.status, result.records, result.batchItemFailures], ['reconciled', 1, []]);
    assert.equal(asMap(await asgTags(env.moto, name))['k8s.io/cluster-autoscaler/enabled'], 'true');
  });

  it('routes each autoscaler sample to its function and no other', async () => {
    const router = await LocalRouter.fromTemplate(env.moto);
    const cases: [string, string[]][] = [
      ...listSamples().filter((s) => s.startsWith('on-asg-event/')).map((s): [string, string[]] => [s, ['on-asg-event']]),
      ['on-cluster-event/create-nodegroup.json', ['on-cluster-event']],
      ['on-cluster-event/update-nodegroup-config.json', ['on-cluster-event']],
      ['unmatched/instance-terminate.json', []],
      ['unmatched/failed-create-or-update-tags.json', []],
    ];
    for (const [sample, expected] of cases) {
      const routed = await router.route([loadSample(sample)]);
      assert.deepEqual(routed.map((r) => r.functionName), expected, sample);
    }
  });
});

async function seedClusterLike(): Promise<Pick<SeededCluster, 'subnetIds'>> {
  const { ec2 } = seedClients(env.moto);
  const { DescribeSubnetsCommand } = await import('@aws-sdk/client-ec2');
  const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
  return { subnetIds: subnets.slice(-2).map((s) => s.SubnetId!) };
}
