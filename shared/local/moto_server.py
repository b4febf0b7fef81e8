"""A local AWS account for eks-guardrails: moto's ThreadedMotoServer plus the seeding moto's EKS can't do.

Started by shared/local/moto.ts. Prints one JSON line {"port": N} when ready, then answers one JSON
command per stdin line with one JSON line. Exits when stdin closes, so it never outlives its parent.
"""
import json
import os
import sys

# moto builds boto3 clients internally (moto/core/responses.py _get_method_urls), and botocore resolves
# credentials when a client is created: without any, it asks the instance metadata service and a request
# waits on it. The local account never needs real credentials.
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


def page_target_groups() -> None:
    """moto's DescribeTargetGroups ignores PageSize and Marker and answers everything at once; real ELBv2 pages
    (at most 400). Page it the way moto pages DescribeLoadBalancers, so callers' paging is exercised."""
    from moto.elbv2.responses import ELBV2Response
    from moto.core.responses import ActionResult

    def describe_target_groups(self):
        groups = list(self.elbv2_backend.describe_target_groups(
            self._get_param("LoadBalancerArn"), self._get_param("TargetGroupArns", []), self._get_param("Names", [])))
        marker = self._get_param("Marker")
        start = [g.arn for g in groups].index(marker) + 1 if marker else 0
        size = self._get_int_param("PageSize", 400)
        page = groups[start:start + size]
        next_marker = page[-1].arn if len(groups) > start + size else None
        return ActionResult({"TargetGroups": page, "NextMarker": next_marker})

    ELBV2Response.describe_target_groups = describe_target_groups


ASG_TAG_LIMIT = 50


def limit_asg_tags() -> None:
    """Real Auto Scaling refuses a CreateOrUpdateTags that would leave a group with more than 50 tags (the whole
    request fails, nothing is written); moto accepts any number. Emulate the limit so a test proves we never send
    such a request. https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-tagging.html
    (tag restrictions) and https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateOrUpdateTags.html
    (LimitExceeded)."""
    from moto.autoscaling.exceptions import AutoscalingClientError
    from moto.autoscaling.models import AutoScalingBackend

    class LimitExceeded(AutoscalingClientError):
        code = "LimitExceeded"

    original = AutoScalingBackend.create_or_update_tags

    def create_or_update_tags(self, tags):
        keys_by_group = {}
        for tag in tags:
            keys_by_group.setdefault(tag["ResourceId"], set()).add(tag["Key"])
        for name, keys in keys_by_group.items():
            group = self.autoscaling_groups.get(name)
            if group is not None and len({t["Key"] for t in group.tags} | keys) > ASG_TAG_LIMIT:
                raise LimitExceeded(f"The number of tags on Auto Scaling group {name} would exceed the limit of {ASG_TAG_LIMIT}.")
        return original(self, tags)

    AutoScalingBackend.create_or_update_tags = create_or_update_tags


def main() -> None:
    try:
        from moto.server import ThreadedMotoServer
        from moto.eks.models import eks_backends
    except ImportError as err:  # pragma: no cover - reported to the Node side
        print(json.dumps({"error": f"moto is not installed ({err}); install it with: pip install 'moto[server]'"}), flush=True)
        sys.exit(3)

    # moto's EKS validates every role ARN against boto3.Session().get_available_partitions(), building a new
    # session and re-reading botocore's endpoint data on each call (~0.1-0.4 s per CreateCluster and
    # CreateNodegroup; moto/eks/utils.py validate_role_arn). The partitions never change: read them once.
    import boto3.session
    import moto.eks.utils as eks_utils

    partitions = boto3.session.Session().get_available_partitions()

    class KnownPartitions:
        def get_available_partitions(self):
            return list(partitions)

    eks_utils.Session = KnownPartitions

    page_target_groups()
    limit_asg_tags()
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    print(json.dumps({"port": server.get_host_and_port()[1]}), flush=True)

    def cluster(cmd):
        return eks_backends[cmd.get("account", "123456789012")][cmd.get("region", "us-east-1")].clusters[cmd["cluster"]]

    def patch_cluster(cmd):
        # moto's EKS creates no cluster security group and reports no vpcId: seed what real EKS would.
        c = cluster(cmd)
        vpc = dict(c.resources_vpc_config or {})
        for key in ("clusterSecurityGroupId", "vpcId"):
            if key in cmd:
                vpc[key] = cmd[key]
        c.resources_vpc_config = vpc
        if "status" in cmd:
            c.status = cmd["status"]
        return {"ok": True}

    def patch_nodegroup(cmd):
        # moto names a node group's ASG but never creates it; let the caller choose the name it created.
        ng = cluster(cmd).nodegroups[cmd["nodegroup"]]
        if "autoScalingGroups" in cmd:
            ng.resources["autoScalingGroups"] = [{"name": n} for n in cmd["autoScalingGroups"]]
        if "status" in cmd:
            ng.status = cmd["status"]
        if "healthIssues" in cmd:
            # DescribeNodegroup health.issues[] (e.g. AutoScalingGroupNotFound on a DEGRADED group), which moto never sets.
            ng.health = {"issues": cmd["healthIssues"]}
        return {"ok": True, "autoScalingGroups": [a["name"] for a in ng.resources["autoScalingGroups"]]}

    def load_aws_managed_policies(cmd):
        # moto loads AWS managed policies only with MOTO_IAM_LOAD_MANAGED_POLICIES (slow, ~1000 policies, every
        # reset); attach-role-policy needs them to exist, so add just the named ones to the account's backend.
        from moto.iam.aws_managed_policies import aws_managed_policies_data
        from moto.iam.models import AWSManagedPolicy, iam_backends

        data = json.loads(aws_managed_policies_data)
        backend = iam_backends[cmd.get("account", "123456789012")]["aws"]
        loaded = []
        for name in cmd["names"]:
            policy = data.get(name) or {
                "DefaultVersionId": "v1", "Path": "/", "CreateDate": "2024-10-04T00:00:00+00:00",
                "UpdateDate": "2024-10-04T00:00:00+00:00",
                "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:DescribeRegions", "Resource": "*"}]},
            }
            p = AWSManagedPolicy.from_data(name, backend.account_id, "us-east-1", policy)
            backend.managed_policies.setdefault(p.arn, p)  # keep an existing one: roles may hold it
            loaded.append(p.arn)
        return {"ok": True, "arns": loaded}

    handlers = {"patch_cluster": patch_cluster, "patch_nodegroup": patch_nodegroup, "load_aws_managed_policies": load_aws_managed_policies, "ping": lambda _: {"ok": True}}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            cmd = json.loads(line)
            reply = handlers[cmd["op"]](cmd)
        except Exception as err:  # answer, don't die: the caller decides
            reply = {"error": f"{type(err).__name__}: {err}"}
        print(json.dumps(reply), flush=True)
    server.stop()


if __name__ == "__main__":
    main()
