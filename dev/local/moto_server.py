"""A local AWS account for eks-guardrails: moto's ThreadedMotoServer plus the seeding moto's EKS can't do.

Started by dev/local/moto.ts. Prints one JSON line {"port": N} when ready, then answers one JSON
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


NEWEST_MINOR = 35  # the newest version in shared/capabilities/compliance/eks-version-calendar.ts, which local clusters run


def emulate_cluster_versions() -> None:
    """moto has no DescribeClusterVersions (404). Serve a calendar whose dates move with today, so the local
    account's current version (1.35) is always comfortably in standard support and 1.24 always long past its
    extended support, whatever the day the tests run: a fixed calendar would turn a healthy cluster into a
    finding as its dates come near. One version every ~4 months, a year of standard and a year of extended
    support, as EKS publishes them. Shape:
    https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeClusterVersions.html"""
    from datetime import timedelta
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.eks import urls
    from moto.eks.responses import EKSResponse

    urls.url_paths.update({"{0}/cluster-versions$": urls.response.dispatch})

    def describe_cluster_versions(self):
        now = utcnow()
        versions = []
        for k in range(NEWEST_MINOR - 23):  # 1.35 down to 1.24
            end_standard = now + timedelta(days=400 - 120 * k)
            end_extended = end_standard + timedelta(days=365)
            status = "STANDARD_SUPPORT" if now < end_standard else "EXTENDED_SUPPORT" if now < end_extended else "UNSUPPORTED"
            versions.append({
                "clusterVersion": f"1.{NEWEST_MINOR - k}", "clusterType": "eks", "defaultVersion": k == 1,
                "releaseDate": now - timedelta(days=60 + 120 * k), "endOfStandardSupportDate": end_standard,
                "endOfExtendedSupportDate": end_extended, "versionStatus": status,
            })
        return ActionResult({"clusterVersions": versions})

    EKSResponse.describe_cluster_versions = describe_cluster_versions


CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"


def emulate_access_entries() -> None:
    """moto's EKS has no accessConfig and no access entries. Serve them the way EKS does, so the real SDK
    client talks HTTP: CreateCluster keeps `accessConfig` (and, like EKS, gives the caller an access entry
    with AmazonEKSClusterAdminPolicy when bootstrapClusterCreatorAdminPermissions is true and the mode
    includes API), DescribeCluster returns it, and Create/Describe/ListAccessEntries,
    Associate/ListAssociatedAccessPolicies work on a per-cluster store, paged like EKS (maxResults/nextToken).
    Shapes: https://docs.aws.amazon.com/eks/latest/APIReference/API_ListAccessEntries.html"""
    import re
    from moto.core.utils import utcnow
    from urllib.parse import unquote
    from moto.core.responses import ActionResult
    from moto.eks import urls
    from moto.eks.exceptions import ResourceInUseException, ResourceNotFoundException
    from moto.eks.responses import EKSResponse

    # A principal ARN holds "/" (role/name); the SDK sends it encoded, so match anything up to the suffix.
    urls.url_paths.update({
        "{0}/clusters/(?P<name>[^/]+)/access-entries$": urls.response.dispatch,
        "{0}/clusters/(?P<name>[^/]+)/access-entries/(?P<principalArn>.+)/access-policies$": urls.response.dispatch,
        "{0}/clusters/(?P<name>[^/]+)/access-entries/(?P<principalArn>.+)$": urls.response.dispatch,
    })

    def entries(cluster):
        if not hasattr(cluster, "access_entries"):
            cluster.access_entries = {}
        return cluster.access_entries

    def path_parts(self):
        m = re.match(r"^/clusters/([^/]+)/access-entries(?:/(.+?))?(/access-policies)?$", unquote(self.raw_path.split("?")[0]))
        return unquote(m.group(1)), (unquote(m.group(2)) if m.group(2) else None)

    def find_cluster(self, name):
        cluster = self.eks_backend.clusters.get(name)
        if cluster is None:
            raise ResourceNotFoundException(clusterName=name, nodegroupName=None, fargateProfileName=None, addonName=None)
        return cluster

    def find_entry(self, cluster, principal):
        entry = entries(cluster).get(principal)
        if entry is None:
            raise ResourceNotFoundException(clusterName=cluster.name, nodegroupName=None, fargateProfileName=None, addonName=None)
        return entry

    def page(self, items):
        size = int(self._get_param("maxResults") or 100)
        token = self._get_param("nextToken")
        start = int(token) if token else 0
        nxt = str(start + size) if start + size < len(items) else None
        return items[start:start + size], nxt

    def add_entry(cluster, principal, created, username=None, groups=None, kind="STANDARD"):
        kind_path = principal.split(":")[5].split("/")[0]
        entry = {
            "clusterName": cluster.name, "principalArn": principal, "kubernetesGroups": groups or [],
            "accessEntryArn": f"arn:aws:eks:{cluster.arn.split(':')[3]}:{cluster.arn.split(':')[4]}:access-entry/{cluster.name}/{kind_path}/{principal.split(':')[4]}/{principal.split('/')[-1]}/{len(entries(cluster)):08d}",
            "createdAt": created, "modifiedAt": created, "tags": {}, "username": username or principal, "type": kind,
            "policies": {},
        }
        entries(cluster)[principal] = entry
        return entry

    def public(entry):
        return {k: v for k, v in entry.items() if k != "policies"}

    original_create = EKSResponse.create_cluster

    def create_cluster(self):
        result = original_create(self)
        access = self._get_param("accessConfig")
        if access is not None:
            cluster = self.eks_backend.clusters[self._get_param("name")]
            mode = access.get("authenticationMode", "CONFIG_MAP")
            bootstrap = access.get("bootstrapClusterCreatorAdminPermissions", True)
            cluster.access_config = {"authenticationMode": mode, "bootstrapClusterCreatorAdminPermissions": bootstrap}
            if bootstrap and "API" in mode.split("_AND_"):
                # EKS names the caller's IAM principal (a role for an assumed-role session); moto's caller is user/moto.
                creator = f"arn:aws:iam::{self.current_account}:user/moto"
                entry = add_entry(cluster, creator, cluster.created_at)
                entry["policies"][CLUSTER_ADMIN_POLICY] = {"policyArn": CLUSTER_ADMIN_POLICY, "accessScope": {"type": "cluster", "namespaces": []},
                                                          "associatedAt": cluster.created_at, "modifiedAt": cluster.created_at}
        return result

    def create_access_entry(self):
        name, _ = path_parts(self)
        cluster = find_cluster(self, name)
        principal = self._get_param("principalArn")
        if principal in entries(cluster):
            raise ResourceInUseException(clusterName=name, nodegroupName=None, fargateProfileName=None, addonName=None)
        now = utcnow()
        entry = add_entry(cluster, principal, now, self._get_param("username"), self._get_param("kubernetesGroups"), self._get_param("type") or "STANDARD")
        return ActionResult({"accessEntry": public(entry)})

    def describe_access_entry(self):
        name, principal = path_parts(self)
        return ActionResult({"accessEntry": public(find_entry(self, find_cluster(self, name), principal))})

    def list_access_entries(self):
        name, _ = path_parts(self)
        cluster = find_cluster(self, name)
        wanted = self._get_param("associatedPolicyArn")
        arns = [p for p, e in entries(cluster).items() if not wanted or wanted in e["policies"]]
        items, nxt = page(self, arns)
        return ActionResult({"accessEntries": items, "nextToken": nxt})

    def associate_access_policy(self):
        name, principal = path_parts(self)
        entry = find_entry(self, find_cluster(self, name), principal)
        now = utcnow()
        policy = self._get_param("policyArn")
        assoc = {"policyArn": policy, "accessScope": self._get_param("accessScope"), "associatedAt": now, "modifiedAt": now}
        entry["policies"][policy] = assoc
        return ActionResult({"clusterName": name, "principalArn": principal, "associatedAccessPolicy": assoc})

    def list_associated_access_policies(self):
        name, principal = path_parts(self)
        entry = find_entry(self, find_cluster(self, name), principal)
        items, nxt = page(self, list(entry["policies"].values()))
        return ActionResult({"clusterName": name, "principalArn": principal, "associatedAccessPolicies": items, "nextToken": nxt})

    EKSResponse.create_cluster = create_cluster
    EKSResponse.create_access_entry = create_access_entry
    EKSResponse.describe_access_entry = describe_access_entry
    EKSResponse.list_access_entries = list_access_entries
    EKSResponse.associate_access_policy = associate_access_policy
    EKSResponse.list_associated_access_policies = list_associated_access_policies


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
    emulate_access_entries()
    emulate_cluster_versions()
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
        if "ageSeconds" in cmd:
            # moto's clusters are ACTIVE at once; real ones take minutes, so entries made by people come later.
            # Backdate the cluster and what EKS made with it (the creator's access entry) by the given age.
            delta = __import__("datetime").timedelta(seconds=cmd["ageSeconds"])
            c.created_at -= delta
            for entry in getattr(c, "access_entries", {}).values():
                if entry["createdAt"] <= c.created_at + delta:
                    entry["createdAt"] -= delta
                    entry["modifiedAt"] -= delta
                    for assoc in entry["policies"].values():
                        assoc["associatedAt"] -= delta
                        assoc["modifiedAt"] -= delta
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
