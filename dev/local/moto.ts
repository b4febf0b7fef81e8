import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./moto_server.py', import.meta.url));
export const MOTO_ACCOUNT = '123456789012';

export const MOTO_MISSING_HELP =
  'moto (the local AWS emulator) is required: install it with `pip install "moto[server]"` (python3 must be on PATH).';

/** A local AWS account: moto's server on a free loopback port, plus seeding of what moto's EKS can't create. */
export class MotoServer {
  readonly endpoint: string;
  readonly port: number;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly pending: ((line: string) => void)[] = [];

  private constructor(child: ChildProcessWithoutNullStreams, lines: Interface, port: number) {
    this.child = child;
    this.lines = lines;
    this.port = port;
    this.endpoint = `http://127.0.0.1:${port}`;
    lines.on('line', (line) => this.pending.shift()?.(line));
  }

  static async start(): Promise<MotoServer> {
    const python = process.env.PYTHON ?? 'python3';
    const child = spawn(python, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve, reject) => {
      child.once('error', (err) => reject(new Error(`could not start ${python}: ${err.message}. ${MOTO_MISSING_HELP}`)));
      child.once('exit', (code) => reject(new Error(`moto server exited (${code}). ${MOTO_MISSING_HELP}\n${stderr}`)));
      lines.once('line', resolve);
    });
    const hello = JSON.parse(first) as { port?: number; error?: string };
    if (!hello.port) throw new Error(hello.error ?? `moto server did not start: ${first}. ${MOTO_MISSING_HELP}`);
    child.removeAllListeners('exit');
    return new MotoServer(child, lines, hello.port);
  }

  /** Environment for SDK clients pointed at this account (no real AWS is ever reached). */
  env(region = 'us-east-1'): Record<string, string> {
    return {
      AWS_ENDPOINT_URL: this.endpoint,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_MAX_ATTEMPTS: '1',
    };
  }

  /** Configuration for plain SDK clients on this account (seeding, reading back): no retries, like env(). */
  clientConfig(region = 'us-east-1') {
    return { region, endpoint: this.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 };
  }

  /**
   * Seeds the cluster security group, VPC id or status that moto's EKS leaves out; `ageSeconds` backdates the
   * cluster and the access entry EKS made for its creator (real clusters take minutes to become ACTIVE).
   */
  patchCluster(cluster: string, fields: { clusterSecurityGroupId?: string; vpcId?: string; status?: string; account?: string; ageSeconds?: number }, region = 'us-east-1'): Promise<void> {
    return this.command({ op: 'patch_cluster', cluster, region, ...fields }).then(() => undefined);
  }

  patchNodegroup(cluster: string, nodegroup: string, fields: { autoScalingGroups?: string[]; status?: string; healthIssues?: { code: string; message?: string; resourceIds?: string[] }[]; diskSize?: number | null }, region = 'us-east-1'): Promise<string[]> {
    return this.command({ op: 'patch_nodegroup', cluster, nodegroup, region, ...fields })
      .then((r) => (r as { autoScalingGroups: string[] }).autoScalingGroups);
  }

  /** Makes the named AWS managed policies (`arn:aws:iam::aws:policy/<name>`) exist, so roles can attach them. */
  loadAwsManagedPolicies(names: string[]): Promise<string[]> {
    return this.command({ op: 'load_aws_managed_policies', names }).then((r) => (r as { arns: string[] }).arns);
  }

  /** Forgets every resource (moto's reset API), for a clean account between tests. */
  async reset(): Promise<void> {
    const res = await fetch(`${this.endpoint}/moto-api/reset`, { method: 'POST' });
    if (!res.ok) throw new Error(`moto reset failed: ${res.status}`);
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    this.lines.close();
  }

  private command(cmd: Record<string, unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.pending.push((line) => {
        const reply = JSON.parse(line) as { error?: string };
        if (reply.error) reject(new Error(`moto seed ${String(cmd.op)}: ${reply.error}`));
        else resolve(reply);
      });
      this.child.stdin.write(`${JSON.stringify(cmd)}\n`);
    });
  }
}
