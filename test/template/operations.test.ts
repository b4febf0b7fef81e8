import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FUNCTIONS } from '../../dev/cli/functions.ts';
import { loadTemplate } from '../../dev/local/template.ts';
import { DEFAULT_NAMESPACE, METRICS } from '../../shared/metrics/catalog.ts';

/** The alarms and the dashboard of template.yaml (docs/operations.md), read from the template itself. */
const template = loadTemplate() as ReturnType<typeof loadTemplate> & {
  Conditions: Record<string, unknown>;
  Parameters: Record<string, { Default?: unknown; AllowedPattern?: string }>;
};
type Resource = { Type: string; Properties: Record<string, any> };
const resources = template.Resources as Record<string, Resource>;
const byType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const alarms = byType('AWS::CloudWatch::Alarm');

/** Every queue something gives up into: SQS redrive targets, rule dead-letter configs, Lambda on-failure destinations. */
function deadLetterQueues(): string[] {
  const queueOf = (arn: unknown): string | undefined => {
    const getAtt = (arn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
    return getAtt && resources[getAtt[0]]?.Type === 'AWS::SQS::Queue' ? getAtt[0] : undefined;
  };
  const arns: unknown[] = [];
  for (const r of Object.values(resources)) {
    arns.push(r.Properties?.RedrivePolicy?.deadLetterTargetArn, r.Properties?.EventInvokeConfig?.DestinationConfig?.OnFailure?.Destination);
    for (const ev of Object.values((r.Properties?.Events ?? {}) as Record<string, { Properties?: Record<string, any> }>)) arns.push(ev.Properties?.DeadLetterConfig?.Arn);
    for (const t of (r.Properties?.Targets ?? []) as Record<string, any>[]) arns.push(t.DeadLetterConfig?.Arn);
  }
  return [...new Set(arns.map(queueOf).filter((q): q is string => q !== undefined))].sort();
}

const ACTIONS = { 'Fn::If': ['HasAlarmTopic', [{ Ref: 'AlarmTopicArn' }], { Ref: 'AWS::NoValue' }] };

describe('template.yaml operations: alarms and dashboard', () => {
  it('an optional AlarmTopicArn: empty (the default) = alarms without actions, else every alarm notifies it on firing and recovery', () => {
    assert.equal(template.Parameters.AlarmTopicArn?.Default, '');
    assert.deepEqual(template.Conditions.HasAlarmTopic, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmTopicArn' }, ''] }] });
    const pattern = new RegExp(`^(?:${template.Parameters.AlarmTopicArn!.AllowedPattern})$`);
    for (const ok of ['', 'arn:aws:sns:eu-west-1:123456789012:ops-alerts']) assert.ok(pattern.test(ok), ok);
    for (const bad of ['ops-alerts', 'arn:aws:sqs:eu-west-1:123456789012:q', 'arn:aws:sns:eu-west-1:123456789012:t.fifo']) assert.ok(!pattern.test(bad), bad);
    assert.ok(alarms.length >= 3);
    for (const [id, alarm] of alarms) {
      assert.deepEqual(alarm.Properties.AlarmActions, ACTIONS, id);
      assert.deepEqual(alarm.Properties.OKActions, ACTIONS, id);
      assert.equal(alarm.Properties.TreatMissingData, 'notBreaching', id);
    }
  });

  it('every dead-letter queue has an alarm on its first visible message', () => {
    const dlqs = deadLetterQueues();
    assert.deepEqual(dlqs, ['DeadLetterQueue', 'NotifyDeadLetterQueue']);
    for (const queue of dlqs) {
      const watching = alarms.filter(([, a]) => a.Properties.Namespace === 'AWS/SQS'
        && JSON.stringify(a.Properties.Dimensions) === JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }]));
      assert.equal(watching.length, 1, `${queue} has one alarm`);
      const p = watching[0]![1].Properties;
      assert.equal(p.MetricName, 'ApproximateNumberOfMessagesVisible');
      assert.equal(p.Threshold, 0);
      assert.equal(p.ComparisonOperator, 'GreaterThanThreshold');
      assert.equal(p.EvaluationPeriods, 1);
    }
  });

  it('the failed-remediations alarm sums RemediationsFailed of every function that reconciles, in the metrics namespace', () => {
    const [, alarm] = alarms.find(([id]) => id === 'RemediationsFailedAlarm')!;
    const queries = alarm.Properties.Metrics as { Id: string; Expression?: string; ReturnData: boolean; MetricStat?: { Metric: { Namespace: unknown; MetricName: string; Dimensions: { Name: string; Value: string }[] }; Stat: string } }[];
    const stats = queries.filter((q) => q.MetricStat);
    assert.deepEqual(stats.map((q) => q.MetricStat!.Metric.Dimensions.map((d) => `${d.Name}=${d.Value}`).join()).sort(), FUNCTIONS.filter((f) => f !== 'notify').map((f) => `service=${f}`).sort());
    for (const q of stats) {
      assert.equal(q.MetricStat!.Metric.MetricName, 'RemediationsFailed');
      assert.deepEqual(q.MetricStat!.Metric.Namespace, { Ref: 'MetricsNamespace' });
      assert.equal(q.MetricStat!.Stat, 'Sum');
      assert.equal(q.ReturnData, false);
    }
    // The functions publish it under `service` alone too (the rollup), or the alarm would never see it.
    assert.equal(METRICS.RemediationsFailed.rollup, true);
    const [sum] = queries.filter((q) => q.ReturnData);
    assert.equal(sum!.Expression, `SUM([${stats.map((q) => q.Id).join(', ')}])`);
    assert.equal(alarm.Properties.Threshold, 0);
    assert.equal(alarm.Properties.ComparisonOperator, 'GreaterThanThreshold');
  });

  it('the functions write to the namespace the alarms and the dashboard read', () => {
    assert.deepEqual((template.Globals?.Function?.Environment as { Variables: Record<string, unknown> }).Variables.POWERTOOLS_METRICS_NAMESPACE, { Ref: 'MetricsNamespace' });
    assert.equal(template.Parameters.MetricsNamespace?.Default, DEFAULT_NAMESPACE);
  });

  it('a dashboard whose body is valid JSON, showing every metric the functions emit, the alarms and both dead-letter queues', () => {
    const dashboards = byType('AWS::CloudWatch::Dashboard');
    assert.equal(dashboards.length, 1);
    const body = dashboards[0]![1].Properties.DashboardBody['Fn::Sub'] as string;
    assert.equal(typeof body, 'string');
    // Substitute as CloudFormation would: every ${…} must name a parameter, a pseudo parameter or a resource (attribute).
    const text = body.replace(/\$\{([A-Za-z0-9:]+)(?:\.([A-Za-z]+))?\}/g, (_, name: string, attr?: string) => {
      assert.ok(name.startsWith('AWS::') || template.Parameters[name] || resources[name], `\${${name}} names nothing`);
      return name === 'MetricsNamespace' ? DEFAULT_NAMESPACE : `${name}${attr ? `-${attr}` : ''}`;
    });
    const { widgets } = JSON.parse(text) as { widgets: { type: string; properties: { alarms?: string[]; metrics?: unknown[][] } }[] };
    const shown = JSON.stringify(widgets.map((w) => w.properties.metrics ?? []));
    for (const name of [...Object.keys(METRICS), 'ColdStart']) assert.match(shown, new RegExp(`MetricName=\\\\"${name}\\\\"`), name);
    assert.match(shown, new RegExp(`\\{\\\\"${DEFAULT_NAMESPACE}\\\\",service`));
    const alarmWidget = widgets.find((w) => w.type === 'alarm');
    assert.deepEqual(alarmWidget?.properties.alarms?.sort(), alarms.map(([id]) => `${id}-Arn`).sort());
    for (const queue of deadLetterQueues()) assert.ok(shown.includes(`"${queue}-QueueName"`), queue);
  });
});
