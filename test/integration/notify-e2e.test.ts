import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { invokeFunction } from '../../dev/cli/invoke.ts';
import { logger } from '../../shared/lambda/logger.ts';
import { LocalRouter } from '../../dev/local/router.ts';
import { listSamples, loadSample } from '../../dev/local/samples.ts';
import { seedClients, seedCluster } from '../../dev/local/scenario.ts';
import { seedNotify } from '../../dev/local/notify-setup.ts';
import { SlackSink } from '../../dev/local/slack-sink.ts';
import { loadTemplate, selfRoleArns } from '../../dev/local/template.ts';
import { containerCaches } from '../../shared/state/cache.ts';
import { previewMessage } from '../../shared/notify/plain.ts';
import type { SlackMessage } from '../../shared/notify/blocks.ts';
import { useMoto, withEnv } from '../support/moto.ts';

const BUS = 'eks-guardrails-bus';
const env = useMoto({ GUARDRAILS_SLACK_INTERVAL_MS: '10', GUARDRAILS_EVENT_BUS: BUS, GUARDRAILS_SELF_ROLE_ARN: selfRoleArns(loadTemplate()).join(',') });
let sink: SlackSink;
before(async () => { sink = await SlackSink.start(); logger.setLogLevel('SILENT'); });
after(async () => { await sink.stop(); });
beforeEach(() => { sink.reset(); containerCaches.clear(); });

describe("template.yaml's notify rules on moto's pattern engine", () => {
  it('route exactly the notify samples to notify, on the project bus; low findings and CloudTrail events do not reach it', async () => {
    const router = await LocalRouter.fromTemplate(env.moto, { busName: BUS });
    for (const sample of listSamples()) {
      const routed = (await router.route([loadSample(sample)])).filter((r) => r.functionName === 'notify');
      const expected = sample.startsWith('notify/') ? 1 : 0;
      assert.equal(routed.length, expected, `${sample} reached notify ${routed.length} time(s)`);
    }
  });
});

describe('end to end on moto: a repair → the bus → a template rule → notify → Slack', () => {
  it('posts the repair of a revoked self rule, with who did it and what was restored', async () => {
    const router = await LocalRouter.fromTemplate(env.moto, { busName: BUS });
    const { secretArn, table } = await seedNotify(env.moto, sink.url);
    const cluster = await seedCluster(env.moto, 'prod');
    const groupId = cluster.clusterSecurityGroupId;
    await seedClients(env.moto).ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId }] }] }));

    // CloudTrail's event → on-sg-event (routed by its own rule), which repairs and publishes to the bus.
    const trail = await router.route([loadSample('on-sg-event/revoke-self-rule.json', { groupId, clusterName: 'prod' })]);
    assert.deepEqual(trail.map((r) => r.functionName), ['on-sg-event']);
    await invokeFunction('on-sg-event', trail[0]!.event);

    // What the bus's rules delivered to notify's queue.
    const toNotify = (await router.drain()).filter((r) => r.functionName === 'notify');
    assert.equal(toNotify.length, 1);
    assert.equal(toNotify[0]!.ruleName, 'NotifyOnRemediationRule');
    assert.equal(toNotify[0]!.event['detail-type'], 'Remediation Applied');

    await withEnv({ SLACK_WEBHOOK_SECRET_ARN: secretArn, GUARDRAILS_IDEMPOTENCY_TABLE: table }, async () => {
      await invokeFunction('notify', toNotify[0]!.event);
      await invokeFunction('notify', toNotify[0]!.event); // EventBridge delivers at least once
    });
    assert.equal(sink.requests.length, 1);
    const text = previewMessage(sink.requests[0]!.body as SlackMessage);
    assert.match(text, /^🔧 Repaired · prod · 123456789012 · us-east-1/);
    assert.match(text, new RegExp(`Cluster security group ${groupId} lost its inbound all-traffic rule from itself`));
    assert.match(text, /ec2:RevokeSecurityGroupIngress` by arn:aws:sts::123456789012:assumed-role\/PlatformAdmin\/jane.doe at /);
    assert.match(text, /before: selfRule: absent/);
    assert.match(text, /✅ applied/);
  });
});
