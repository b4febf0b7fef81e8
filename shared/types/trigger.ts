/** What made us look: carried into every published event so people can see who changed what. */
export interface Trigger {
  kind: 'cloudtrail' | 'native-event' | 'schedule' | 'cli' | 'retry';
  eventId?: string;
  source?: string;
  apiCall?: string;
  actor?: string;
  time?: string;
  errorCode?: string;
  /** The resource the event named (group id, ASG name…). */
  resourceId?: string;
}

/** One unit of work for the engine: a cluster, optionally narrowed to some checks. */
export interface ReconcileTarget {
  clusterName: string;
  checks?: string[];
  trigger: Trigger;
  /** A resource the trigger is about; checks may use it to narrow their work. */
  focus?: { type: string; id: string };
}
