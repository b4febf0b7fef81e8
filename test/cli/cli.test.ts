import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DescribeSecurityGroupsCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { loadSample } from '../../dev/local/samples.ts';
import { seedClients, seedCluster } from '../../dev/local/scenario.ts';
import { useMoto } from '../support/moto.ts';
import { runCli, type CliRun } from '../support/cli.ts';

const env = useMoto();

function cli(args: string[], input?: string): Promise<CliRun> {
  return runCli(args, { ...env.moto.env(), POWERTOOLS_LOG_LEVEL: 'INFO' }, input);
}

function tempFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'guardrails-')), 'event.json');
  writeFileSync(path, content);
  return path;
}

describe('eks-guardrails invoke', () => {
  it('runs a function on an event file and prints only its JSON result on stdout (logs go to stderr)', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const { ec2 } = seedClients(env.moto);
    const groupId = cluster.clusterSecurityGroupId;
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId }] }] }));
    const file = tempFile(JSON.stringify(loadSample('on-sg-event/revoke-self-rule.json', { groupId })));
    const r = await cli(['invoke', 'on-sg-event', file]);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { status: string; results: { actions: { status: string }[] }[] };
    assert.equal(result.status, 'reconciled');
    assert.deepEqual(result.results[0]!.actions.map((a) => a.status), ['applied']);
    const sg = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
    assert.ok(sg.IpPermissions!.some((p) => p.IpProtocol === '-1' && p.UserIdGroupPairs?.[0]?.GroupId === groupId));
  });

  it('reads the event from stdin with -', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const r = await cli(['invoke', 'on-sg-event', '-'], JSON.stringify(loadSample('on-sg-event/revoke-by-rule-ids.json', { groupId: cluster.clusterSecurityGroupId })));
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { status: string }).status, 'reconciled');
  });

  it('exits non-zero with a structured error on a malformed event, changing nothing', async () => {
    const r = await cli(['invoke', 'on-sg-event', tempFile('{"detail-type":"AWS API Call via CloudTrail","detail":{}}')]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const last = JSON.parse(r.stderr.trim().split('\n').pop()!) as { error: string; details: { issues: unknown[] } };
    assert.equal(last.error, 'InvalidEvent');
    assert.ok(last.details.issues.length > 0);
  });

  it('exits non-zero on a file that is not JSON, and 2 on usage errors', async () => {
    const notJson = await cli(['invoke', 'on-sg-event', tempFile('{nope')]);
    assert.equal(notJson.code, 1);
    assert.match(notJson.stderr, /"error":"InvalidEvent"/);
    const unknown = await cli(['invoke', 'no-such-function', tempFile('{}')]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown function/);
    const demoTypo = await cli(['demo', '--bogus']);
    assert.equal(demoTypo.code, 2);
    assert.match(demoTypo.stderr, /demo takes no arguments/);
    assert.doesNotMatch(demoTypo.stdout, /demo finished/);
  });
});

describe('eks-guardrails demo', () => {
  it('shows the repair end to end on a local account', async () => {
    const r = await cli(['demo']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /applied\s+Add inbound all traffic from sg-/);
    assert.match(r.stdout, /Remediation Applied/);
    assert.match(r.stdout, /to no function: the rule pattern drops our own role/);
    assert.match(r.stdout, /replay\s+1 invocation, 2 reads, 0 writes/);
    // Two scheduled sweeps with a fix by hand in between: the second names what was resolved, and its digest counts it.
    assert.match(r.stdout, /✔ resolved\s+high\s+world-open: Cluster security group sg-\w+ allows tcp 22 from 0\.0\.0\.0\/0 \(no longer found\)/);
    assert.match(r.stdout, /Sweep Completed — 0 new, 1 resolved, \d+ still open/);
  });
});
