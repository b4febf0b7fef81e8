import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTemplate } from '../../dev/local/template.ts';

const template = loadTemplate();
const resources = template.Resources as Record<string, { Type: string; Properties: Record<string, any> }>;

describe('template.yaml: the sweep', () => {
  const fn = resources.SweepFunction!;

  it('runs on an EventBridge Scheduler schedule given as a parameter, with retries and the dead-letter queue', () => {
    const schedule = fn.Properties.Events.Schedule;
    assert.equal(schedule.Type, 'ScheduleV2');
    assert.deepEqual(schedule.Properties.ScheduleExpression, { Ref: 'SweepSchedule' });
    assert.equal(JSON.parse(schedule.Properties.Input).phase, 'start');
    assert.ok(schedule.Properties.RetryPolicy);
    assert.deepEqual(schedule.Properties.DeadLetterConfig, { Arn: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } });
    assert.equal(fn.Properties.EventInvokeConfig.DestinationConfig.OnFailure.Type, 'SQS');
  });

  it('fans out on a Step Functions Map over batches that invokes the same function, then finishes once', () => {
    const sm = resources.SweepStateMachine!;
    assert.equal(sm.Type, 'AWS::Serverless::StateMachine');
    const states = sm.Properties.Definition.States;
    assert.equal(states.SweepBatches.Type, 'Map');
    assert.equal(states.SweepBatches.ItemSelector.phase, 'batch');
    assert.equal(states.SweepBatches.MaxConcurrencyPath, '$.mapConcurrency');
    const task = states.SweepBatches.ItemProcessor.States.SweepBatch;
    assert.equal(task.Parameters.FunctionName, '${SweepFunctionArn}');
    assert.ok(task.Catch.some((c: { Next: string }) => c.Next === 'BatchFailed'), 'a failed batch is reported, not fatal');
    assert.equal(states.Finish.Parameters.Payload.phase, 'finish');
    assert.deepEqual(sm.Properties.DefinitionSubstitutions.SweepFunctionArn, { 'Fn::GetAtt': ['SweepFunction', 'Arn'] });
    // The function finds the machine by its name: no reference cycle.
    assert.match(JSON.stringify(fn.Properties.Environment.Variables.GUARDRAILS_SWEEP_STATE_MACHINE_ARN), /stateMachine:\$\{AWS::StackName\}-sweep/);
    assert.deepEqual(sm.Properties.Name, { 'Fn::Sub': '${AWS::StackName}-sweep' });
  });

  it('its role is ours: our own CloudTrail events never trigger the handlers', () => {
    const self = JSON.stringify((template.Globals?.Function as any).Environment.Variables.GUARDRAILS_SELF_ROLE_ARN);
    assert.match(self, /SweepRole/);
    const arn = resources.OnSgEventFunction!.Properties.Events.SecurityGroupCalls.Properties.Pattern.detail.userIdentity.sessionContext.sessionIssuer.arn as Record<string, unknown>[];
    const ignored = arn.find((m) => 'anything-but' in m)?.['anything-but'] as unknown[];
    assert.ok(ignored.some((r) => JSON.stringify(r) === JSON.stringify({ 'Fn::GetAtt': ['SweepRole', 'Arn'] })));
  });

  it('may assume only member roles of the configured name, and start only its own state machine', () => {
    const policies = JSON.stringify(resources.SweepRole!.Properties.Policies);
    assert.match(policies, /"sts:AssumeRole","Resource":\{"Fn::Sub":"arn:\$\{AWS::Partition\}:iam::\*:role\/\$\{SweepMemberRoleName\}"\}/);
    assert.match(policies, /"states:StartExecution","Resource":\{"Fn::Sub":"[^"]*stateMachine:\$\{AWS::StackName\}-sweep"\}/);
  });
});
