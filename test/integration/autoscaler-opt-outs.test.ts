import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateOrUpdateTagsCommand, DeleteTagsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { callLog } from '../../shared/aws/calls.ts';
import { REGISTRY } from '../../shared/capabilities/registry.ts';
import { narrowRegistry } from '../../shared/engine/registry.ts';
import { asSqsEvent } from '../../dev/cli/lambda-context.ts';
import { loadConfig } from '../../shared/capabilities/config.ts';
import { asgSeedClients, asgTags, createAsg, seedManagedNodegroup, seedSelfManagedAsg } from '../../dev/local/autoscaler-scenario.ts';
import { loadSample } from '../../dev/local/samples.ts';
import { seedClients, seedCluster } from '../../dev/local/scenario.ts';
import { loadTemplate, selfRoleArns } from '../../dev/local/template.ts';
import { runSweep } from '../../shared/sweep/run-sweep.ts';
import { handler as onAsgEvent } from '../../functions/on-asg-event/handler.ts';
import type { AsgBatchResult } from '../../shared/capabilities/autoscaler/asg-batch.ts';
import { containerCaches } from '../../shared/state/cache.ts';
import { handler as onClusterEvent, type ClusterEventResult } from '../../functions/on-cluster-event/handler.ts';
import type { AsgTag } from '../../shared/types/index.ts';
import { captureBus } from '../support/bus.ts';
import { invokeHandler } from '../support/lambda.ts';
import { useMoto, withEnv } from '../support/moto.ts';

// CA 1.23 reads no labels or taints from the EKS API: the template tags these tests restore are all needed.
const env = useMoto({ GUARDRAILS_SELF_ROLE_ARN: selfRoleArns(loadTemplate()).join(','), GUARDRAILS_CLUSTER_AUTOSCALER_VERSION: '1.23' });

const ENABLED = 'k8s.io/cluster-autoscaler/enabled';
const PROD = 'k8s.io/cluster-autoscaler/prod';
const OPT_OUT = 'eks-guardrails/autoscaler-opt-out';
const T = 'k8s.io/cluster-autoscaler/node-template/';
const AUTOSCALER = narrowRegistry(REGISTRY, (c) => c.name.startsWith('autoscaler-'));

const asMap = (tags: AsgTag[]) => Object.fromEntries(tags.map((t) => [t.key, t.value]));
const writes = () => callLog.count({ service: 'AutoScaling', mutating: true });

async function asgBatch(events: unknown[]): Promise<AsgBatchResult & { batchItemFailures: { itemIdentifier: string }[] }> {
  return invokeHandler(onAsgEvent, asSqsEvent(events, 'asg-event-queue'));
}

/** The sample DeleteTags event (a person, john.roe), removing `key` from `asgName`. */
function deleteTagsEvent(asgName: string, key: string): Record<string, unknown> {
  const event = loadSample('on-asg-event/delete-tags.json', { asgName }) as { detail: { requestParameters: { tags: { key: string }[] } } };
  event.detail.requestParameters.tags[0]!.key = key;
  return event as unknown as Record<string, unknown>;
}

/** What a person does in the console: DeleteTags, with an uncounted client. */
async function personDeletes(asgName: string, key: string): Promise<void> {
  const { autoscaling } = asgSeedClients(env.moto);
  await autoscaling.send(new DeleteTagsCommand({ Tags: [{ ResourceId: asgName, ResourceType: 'auto-scaling-group', Key: key }] }));
}

async function enforcingSweep() {
  return runSweep({ config: { ...loadConfig(), mode: 'enforce' }, registry: AUTOSCALER });
}

describe('opt-outs win (moto)', () => {
  it('a person removes a discovery key from a managed ASG: still absent after the event, a launch burst and an enforcing sweep; announced once', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const { asgName } = await seedManagedNodegroup(env.moto, cluster, { name: 'gpu', labels: { role: 'gpu' } });
    await invokeHandler<ClusterEventResult>(onClusterEvent, loadSample('on-cluster-event/create-nodegroup.json'));
    assert.equal(asMap(await asgTags(env.moto, asgName))[ENABLED], 'true');
    const bus = await captureBus(env.moto);

    await withEnv({ GUARDRAILS_EVENT_BUS: bus.busName }, async () => {
      // 1. The person's DeleteTags and its CloudTrail event.
      await personDeletes(asgName, ENABLED);
      callLog.reset();
      const onEvent = await asgBatch([deleteTagsEvent(asgName, ENABLED)]);
      assert.deepEqual(onEvent.batchItemFailures, []);
      let tags = asMap(await asgTags(env.moto, asgName));
      assert.equal(tags[ENABLED], undefined, 'not re-added on the event');
      assert.equal(tags[OPT_OUT], 'enabled', 'the decision is recorded on the ASG');
      assert.deepEqual(callLog.summary()['AutoScaling.CreateOrUpdateTags'], 1, 'one write: the record');
      const announced = await bus.drain();
      const optOut = announced.filter((e) => e.detail.findingId === `autoscaler-discovery-tags:${asgName}:opted-out`);
      assert.equal(optOut.length, 1);
      assert.equal(optOut[0]!['detail-type'], 'Remediation Applied');
      assert.match(String(optOut[0]!.detail.title), /john\.roe removed k8s\.io\/cluster-autoscaler\/enabled/);
      assert.match(String(optOut[0]!.detail.fixHint), /add the key\(s\) again yourself/);

      // 2. A launch burst (cold container): the ASG looks processed, nothing is read beyond one describe, nothing written.
      containerCaches.clear();
      callLog.reset();
      const burst = await asgBatch(Array.from({ length: 50 }, () => loadSample('on-asg-event/instance-launch.json', { asgName })));
      assert.deepEqual([burst.batchItemFailures, burst.groups.length, writes()], [[], 0, 0]);
      assert.equal(asMap(await asgTags(env.moto, asgName))[ENABLED], undefined, 'not re-added on launches');

      // 3. An enforcing sweep: still absent, no write, listed (state exempt: a person's decision), not announced again.
      callLog.reset();
      const report = await enforcingSweep();
      tags = asMap(await asgTags(env.moto, asgName));
      assert.equal(tags[ENABLED], undefined, 'not re-added by the sweep');
      assert.equal(tags[`${T}label/role`], 'gpu', 'our template tags stay');
      assert.equal(report.calls.mutating, 0);
      const listed = report.clusters[0]!.findings.find((f) => f.id === `autoscaler-discovery-tags:${asgName}:opted-out`);
      assert.equal(listed?.state, 'exempt');
      assert.equal(listed?.severity, 'info');
      // 4. Another person's tag edit on the same ASG (a full reconcile): still absent, and not announced again.
      await asgBatch([loadSample('on-asg-event/create-or-update-tags.json', { asgName })]);
      assert.equal(asMap(await asgTags(env.moto, asgName))[ENABLED], undefined);
      assert.deepEqual((await bus.drain()).filter((e) => String(e.detail.findingId).endsWith(':opted-out')), [], 'reported once');
    });
  });

  it('a sweep that missed the event still tells a removal from "never had it" (self-managed: our record)', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const mine = await seedSelfManagedAsg(env.moto, cluster, 'prod-workers', { minSize: 1 });
    const fresh = await seedSelfManagedAsg(env.moto, cluster, 'prod-batch', { minSize: 1 });
    const theirs = await seedSelfManagedAsg(env.moto, cluster, 'prod-tf', { minSize: 1, tags: { [ENABLED]: 'true', [PROD]: 'owned' } }); // Terraform wrote the keys
    await enforcingSweep();
    assert.equal(asMap(await asgTags(env.moto, mine))['eks-guardrails/discovery-keys'], 'enabled prod');
    assert.equal(asMap(await asgTags(env.moto, theirs))['eks-guardrails/discovery-keys'], 'enabled prod', 'keys found present are remembered too');
    await personDeletes(mine, PROD); // no event reaches us
    await personDeletes(theirs, ENABLED);
    await personDeletes(fresh, PROD);
    await personDeletes(fresh, ENABLED);
    await personDeletes(fresh, 'eks-guardrails/discovery-keys'); // as if we had never seen it
    callLog.reset();
    const report = await enforcingSweep();
    const a = asMap(await asgTags(env.moto, mine));
    assert.deepEqual([a[PROD], a[OPT_OUT], a[ENABLED]], [undefined, 'prod', 'true'], 'removal recognised and recorded, nothing re-added');
    const b = asMap(await asgTags(env.moto, fresh));
    assert.deepEqual([b[PROD], b[ENABLED], b[OPT_OUT]], ['owned', 'true', undefined], 'no proof of a removal: the product adds the keys');
    const c = asMap(await asgTags(env.moto, theirs));
    assert.deepEqual([c[ENABLED], c[OPT_OUT]], [undefined, 'enabled']);
    const ids = report.clusters[0]!.findings.map((f) => `${f.id}=${f.state}`).sort();
    assert.deepEqual(ids, [
      'autoscaler-discovery-tags:prod-batch=fixed', 'autoscaler-discovery-tags:prod-tf:opted-out=fixed', 'autoscaler-discovery-tags:prod-workers:opted-out=fixed',
    ]);
  });

  it("a person's undo: the key put back withdraws the opt-out (our record goes), and CA keeps it", async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const { asgName } = await seedManagedNodegroup(env.moto, cluster, { name: 'gpu' });
    await personDeletes(asgName, ENABLED);
    await asgBatch([deleteTagsEvent(asgName, ENABLED)]);
    assert.equal(asMap(await asgTags(env.moto, asgName))[OPT_OUT], 'enabled');
    const { autoscaling } = asgSeedClients(env.moto);
    await autoscaling.send(new CreateOrUpdateTagsCommand({ Tags: [{ ResourceId: asgName, ResourceType: 'auto-scaling-group', Key: ENABLED, Value: 'true', PropagateAtLaunch: false }] }));
    const r = await asgBatch([loadSample('on-asg-event/create-or-update-tags.json', { asgName })]);
    const tags = asMap(await asgTags(env.moto, asgName));
    assert.deepEqual([tags[ENABLED], tags[OPT_OUT]], ['true', undefined]);
    assert.ok(r.results[0]!.findings.some((f) => f.id.endsWith(':opted-out') && /withdrawn/.test(f.title)));
  });

  it("deleting our opt-out tag is an undo too, when we see that DeleteTags event: the key comes back", async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const { asgName } = await seedManagedNodegroup(env.moto, cluster, { name: 'gpu' });
    await personDeletes(asgName, ENABLED);
    await asgBatch([deleteTagsEvent(asgName, ENABLED)]);
    await personDeletes(asgName, OPT_OUT);
    await asgBatch([deleteTagsEvent(asgName, OPT_OUT)]);
    const tags = asMap(await asgTags(env.moto, asgName));
    assert.deepEqual([tags[ENABLED], tags[OPT_OUT]], ['true', undefined]);
  });

  it('enabled=false: the finding says CA still manages the group; no discovery key is touched', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const { asgName } = await seedManagedNodegroup(env.moto, cluster, { name: 'gpu', extraAsgTags: { [ENABLED]: 'false' } });
    const before = asMap(await asgTags(env.moto, asgName));
    const r = await asgBatch([loadSample('on-asg-event/create-or-update-tags.json', { asgName })]);
    const after = asMap(await asgTags(env.moto, asgName));
    assert.deepEqual([after[ENABLED], after[PROD]], [before[ENABLED], before[PROD]]);
    const f = r.results[0]!.findings.find((x) => x.id === `autoscaler-discovery-tags:${asgName}:enabled-false`);
    assert.equal(f?.severity, 'medium');
    assert.match(f!.title, /cluster-autoscaler still manages it: its discovery matches tag keys, not values/);
  });
});

describe('tag budget and lost ASGs (moto)', () => {
  it('the local account refuses a CreateOrUpdateTags that would pass 50 tags, as AWS does', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const filler = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`cost/center-${i}`, `v${i}`]));
    const name = await seedSelfManagedAsg(env.moto, cluster, 'full', { tags: filler }); // 50 with its two own tags
    const { autoscaling } = asgSeedClients(env.moto);
    await assert.rejects(
      autoscaling.send(new CreateOrUpdateTagsCommand({ Tags: [{ ResourceId: name, ResourceType: 'auto-scaling-group', Key: 'one-more', Value: 'x', PropagateAtLaunch: false }] })),
      (err: Error) => /^LimitExceeded/.test(err.name),
    );
    assert.equal((await asgTags(env.moto, name)).length, 50, 'nothing written');
  });

  it('a self-managed ASG with 49 tags: a finding, no request that AWS would refuse, the event succeeds (no DLQ)', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const filler = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`cost/center-${i}`, `v${i}`]));
    const name = await seedSelfManagedAsg(env.moto, cluster, 'prod-workers', { minSize: 1, tags: filler });
    const before = await asgTags(env.moto, name);
    assert.equal(before.length, 49);
    callLog.reset();
    const r = await asgBatch([loadSample('on-asg-event/update-asg-min-zero.json', { asgName: name })]);
    assert.deepEqual(r.batchItemFailures, [], 'the record is not retried into the DLQ');
    assert.deepEqual(await asgTags(env.moto, name), before, 'nothing in the account changed');
    assert.equal(writes(), 0);
    const f = r.results[0]!.findings.find((x) => x.id === `autoscaler-discovery-tags:${name}:dropped`);
    assert.equal(f?.severity, 'high');
    assert.match(f!.title, /lacks k8s\.io\/cluster-autoscaler\/enabled, k8s\.io\/cluster-autoscaler\/prod, and 49 tags leave no room/);
    // The sweep says the same, and writes nothing either.
    callLog.reset();
    const report = await enforcingSweep();
    assert.equal(report.calls.mutating, 0);
    assert.ok(report.clusters[0]!.findings.some((x) => x.id === f!.id && x.state === 'open'));
  });

  it('a managed node group with many labels: every label written, the marker split over several tags', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const labels = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`example.com/label-number-${String(i).padStart(2, '0')}`, `v${i}`]));
    const { asgName } = await seedManagedNodegroup(env.moto, cluster, { name: 'gpu', labels });
    const r = await invokeHandler<ClusterEventResult>(onClusterEvent, loadSample('on-cluster-event/create-nodegroup.json'));
    assert.equal(r.status, 'reconciled');
    const tags = await asgTags(env.moto, asgName);
    assert.equal(tags.filter((t) => t.key.startsWith(`${T}label/`)).length, 30);
    const parts = tags.filter((t) => t.key.startsWith('eks-guardrails/node-template-keys'));
    assert.ok(parts.length > 1 && parts.every((t) => t.value.length <= 256), JSON.stringify(parts));
    assert.ok(tags.length <= 50);
    callLog.reset();
    await invokeHandler<ClusterEventResult>(onClusterEvent, loadSample('on-cluster-event/create-nodegroup.json'));
    assert.equal(writes(), 0, 'converged');
  });

  it('a node group whose ASG was deleted (DEGRADED, AutoScalingGroupNotFound): a finding at once, no deferral, nothing changed', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const { asgName } = await seedManagedNodegroup(env.moto, cluster, { name: 'gpu', withoutAsg: true });
    await env.moto.patchNodegroup('prod', 'gpu', { status: 'DEGRADED', healthIssues: [{ code: 'AutoScalingGroupNotFound', message: 'Could not find the Auto Scaling group', resourceIds: [asgName] }] });
    const sqs = new SQSClient(seedClients(env.moto).config);
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'retry' }))).QueueUrl!;
    callLog.reset();
    const result = await withEnv({ GUARDRAILS_RETRY_QUEUE_URL: queueUrl }, () =>
      invokeHandler<ClusterEventResult>(onClusterEvent, loadSample('on-cluster-event/update-nodegroup-config.json')));
    assert.equal(result.status, 'reconciled', JSON.stringify(result));
    const findings = result.status === 'reconciled' ? result.results.flatMap((x) => x.findings) : [];
    const f = findings.find((x) => x.id === 'autoscaler-discovery-tags:gpu:asg-not-found');
    assert.equal(f?.severity, 'high');
    assert.match(f!.title, new RegExp(`Managed node group gpu \\(DEGRADED\\) has lost its Auto Scaling group ${asgName}`));
    assert.equal(callLog.count({ mutating: true }), 0, 'nothing in the account changed');
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'] }));
    assert.deepEqual([attrs.Attributes?.ApproximateNumberOfMessages, attrs.Attributes?.ApproximateNumberOfMessagesDelayed], ['0', '0'], 'not deferred');
    // The sweep reports it too.
    const report = await enforcingSweep();
    assert.ok(report.clusters[0]!.findings.some((x) => x.id === f!.id && x.severity === 'high'));
  });

  it('a DEGRADED node group whose listed ASG does not exist is reported by the sweep, nothing written', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    await seedManagedNodegroup(env.moto, cluster, { name: 'gpu', withoutAsg: true });
    await env.moto.patchNodegroup('prod', 'gpu', { status: 'DEGRADED' });
    await createAsg(env.moto, 'unrelated', cluster, 0, 1, { team: 'x' });
    const report = await enforcingSweep();
    assert.equal(report.calls.mutating, 0);
    assert.deepEqual(report.clusters[0]!.findings.map((x) => `${x.id}:${x.severity}`), ['autoscaler-discovery-tags:gpu:asg-not-found:high']);
  });
});
