/** Counts AWS calls per service and operation: tests and benchmarks assert on it. */
export interface CallRecord {
  service: string;
  operation: string;
  mutating: boolean;
}

const READ_PREFIXES = ['Describe', 'List', 'Get', 'Head', 'Search', 'Lookup', 'Receive', 'Test'];

export function isMutating(operation: string): boolean {
  return !READ_PREFIXES.some((p) => operation.startsWith(p));
}

class CallLog {
  private records: CallRecord[] = [];
  record(service: string, operation: string): void {
    this.records.push({ service, operation, mutating: isMutating(operation) });
  }
  reset(): void {
    this.records = [];
  }
  all(): readonly CallRecord[] {
    return this.records;
  }
  count(filter: Partial<CallRecord> = {}): number {
    return this.records.filter((r) =>
      (filter.service === undefined || r.service === filter.service) &&
      (filter.operation === undefined || r.operation === filter.operation) &&
      (filter.mutating === undefined || r.mutating === filter.mutating)).length;
  }
  /** `{ "EC2.DescribeSecurityGroups": 2, … }` */
  summary(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.records) out[`${r.service}.${r.operation}`] = (out[`${r.service}.${r.operation}`] ?? 0) + 1;
    return out;
  }
}

export const callLog = new CallLog();
