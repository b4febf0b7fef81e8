import { GuardrailsError } from '../../shared/errors.ts';
import { escapeJsonControl } from '../../shared/text.ts';
import { invokeFunction, readEvent, UsageError } from './invoke.ts';
import { withStdoutOnStderr } from './output.ts';
import { FUNCTIONS } from './functions.ts';

const USAGE = `eks-guardrails — keeps Amazon EKS clusters healthy

Usage:
  eks-guardrails demo                              the whole product on a local, emulated account (moto)
  eks-guardrails invoke <function> <event.json|->  run a function as Lambda would; prints its JSON result
  eks-guardrails sweep [--dry-run] [--format table|json|html] [--cluster NAME]... [--region R]... [--fail-on SEV]
                                                   every cluster, every check (eks-guardrails sweep --help)
  eks-guardrails help

Functions: ${FUNCTIONS.join(', ')}
Environment: AWS_REGION, AWS_ENDPOINT_URL, GUARDRAILS_MODE (enforce|dry-run), GUARDRAILS_EVENT_BUS,
             GUARDRAILS_SELF_ROLE_ARN, GUARDRAILS_CHECK_MODES, … (see README)

Mistakes fail safe: a value that is not understood is rejected before any AWS call, never replaced by a default —
  InvalidConfiguration  unknown GUARDRAILS_MODE, unknown check names or modes in GUARDRAILS_CHECK_MODES (k=v or
                        JSON), a check given two modes, cluster-sg-baseline=off with ENFORCE_EGRESS/HTTPS_FROM_VPC,
                        out-of-range numbers, a self-role entry that is not a role ARN
  InvalidEvent          an event a function is not built for (the sweep takes only {"phase":"start"|"batch"|"finish"}),
                        from another region than AWS_REGION, or with a missing/mistyped field (the field is named)
Exit status: 0 done, 1 failed (one JSON line on stderr: {"error","message"}), 2 usage.`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  async invoke(args) {
    const [fn, source] = args;
    if (!fn || !source) throw new UsageError('invoke needs <function> and <event.json | ->');
    const event = await readEvent(source);
    const result = await withStdoutOnStderr(() => invokeFunction(fn, event));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  },
  async sweep(args) {
    const { sweepCommand, SWEEP_USAGE } = await import('./sweep-command.ts');
    if (args.includes('--help') || args.includes('-h')) {
      console.log(SWEEP_USAGE);
      return 0;
    }
    return sweepCommand(args);
  },
  async demo(args) {
    // The demo takes no options: an unknown one is a mistake to say, not to ignore.
    if (args.length > 0) throw new UsageError(`demo takes no arguments (got ${args.map((a) => JSON.stringify(a)).join(' ')})\n\n${USAGE}`);
    const { runDemo } = await import('./demo/index.ts');
    return runDemo(args);
  },
  async help() {
    console.log(USAGE);
    return 0;
  },
};

export async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...args] = argv;
  const run = COMMANDS[command === '--help' || command === '-h' ? 'help' : command];
  try {
    if (!run) throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
    return await run(args);
  } catch (err) {
    // One structured line on stderr; never a stack full of request details (they may carry secrets).
    const body = err instanceof GuardrailsError ? err.toJSON() : { error: (err as Error)?.name ?? 'Error', message: (err as Error)?.message ?? String(err) };
    process.stderr.write(`${escapeJsonControl(JSON.stringify(body))}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
