"""A local AWS account for eks-guardrails: moto's ThreadedMotoServer plus the seeding moto's EKS can't do.

Started by shared/local/moto.ts. Prints one JSON line {"port": N} when ready, then answers one JSON
command per stdin line with one JSON line. Exits when stdin closes, so it never outlives its parent.
"""
import json
import sys


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


def main() -> None:
    try:
        from moto.server import ThreadedMotoServer
        from moto.eks.models import eks_backends
    except ImportError as err:  # pragma: no cover - reported to the Node side
        print(json.dumps({"error": f"moto is not installed ({err}); install it with: pip install 'moto[server]'"}), flush=True)
        sys.exit(3)

    page_target_groups()
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
        if "diskSize" in cmd:
            # moto always reports a diskSize; real EKS reports none when the disk comes from a launch template.
            ng.disk_size = cmd["diskSize"]
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
