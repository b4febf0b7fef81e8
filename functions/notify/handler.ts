import { lambdaHandler } from '../../shared/lambda/handler.ts';
import { notify } from '../../shared/notify/flow.ts';

/**
 * Result and sweep events from the project's bus, through notify's FIFO queue → Slack (Block Kit)
 * and/or Amazon Q Developer in chat applications. The work is in shared/notify.
 */
export const handler = lambdaHandler('notify', notify);
