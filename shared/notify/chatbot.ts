import type { SlackMessage } from './blocks.ts';
import { blockLines, fromMrkdwn } from './plain.ts';
import type { NotifyEvent } from './schema.ts';

/** Amazon Q Developer in chat applications (AWS Chatbot) custom notification, published to its SNS topic. */
export interface ChatbotNotification {
  version: '1.0';
  source: 'custom';
  id: string;
  content: { textType: 'client-markdown'; title: string; description: string; nextSteps?: string[]; keywords?: string[] };
  metadata: { threadId?: string; summary: string; eventType: string; relatedResources?: string[]; additionalContext?: Record<string, string> };
}

const DESCRIPTION_MAX = 8000;

/** The same content as the Slack message, in the custom-notification format (Markdown text, next steps, keywords). */
export function toChatbotNotification(event: NotifyEvent, message: SlackMessage): ChatbotNotification {
  const [head, ...rest] = message.blocks;
  const title = head?.type === 'header' ? head.text.text : fromMrkdwn(message.text, 'markdown');
  const description = rest.flatMap((b) => blockLines(b, 'markdown')).join('\n');
  if (event.kind === 'sweep') {
    const d = event.detail;
    return {
      version: '1.0', source: 'custom', id: event.id,
      content: { textType: 'client-markdown', title, description: cap(description), keywords: ['eks-guardrails', 'sweep', d.mode], ...(d.reportUrl ? { nextSteps: [`Read the report: ${d.reportUrl}`] } : {}) },
      metadata: { summary: title, eventType: 'Sweep Completed', threadId: `sweep-${d.sweepId}`, additionalContext: { sweepId: d.sweepId } },
    };
  }
  const d = event.detail;
  return {
    version: '1.0', source: 'custom', id: event.id,
    content: {
      textType: 'client-markdown', title, description: cap(description),
      nextSteps: [d.fixHint, d.exemption.how],
      keywords: ['eks-guardrails', d.cluster.name, d.check, d.severity],
    },
    metadata: {
      summary: `${title}: ${d.title}`,
      eventType: event.kind,
      // Everything about one cluster in one thread.
      threadId: `${d.account}-${d.region}-${d.cluster.name}`,
      relatedResources: [d.cluster.arn, d.resource.arn ?? d.resource.id].filter((r): r is string => Boolean(r)),
      additionalContext: { findingId: d.findingId, check: d.check, severity: d.severity },
    },
  };
}

function cap(text: string): string {
  return text.length <= DESCRIPTION_MAX ? text : `${text.slice(0, DESCRIPTION_MAX - 1)}…`;
}
