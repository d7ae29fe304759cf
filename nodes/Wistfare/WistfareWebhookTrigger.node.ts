import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { businessIdField, walletIdOption, watchedScope } from './actions/fields';
import { listDisbursements } from './api/client';
import { clock } from './api/clock';
import { sharedWorkflowWarning } from './api/shared-workflow';
import { keptDialect } from './api/dialect';
import { STATUS_OPTIONS } from './payout/status';
import type { WistfareSession } from './api/session';
import { toEvent } from './payout/event';
import { confirm } from './webhook/confirm';
import { readDelivery, sameSecret, type Scope } from './webhook/delivery';
import { joined, readMemory, remember, withNotice, type FiredMemory } from './webhook/memory';
import { inTurn, recentOf, trimmed } from './webhook/recent';

export { CONFIRM_WITHIN_MS, FIRST_LOOK_TIMEOUT_MS } from './webhook/confirm';

/** What the trigger panel says of publishing. */
const PUBLISH_HELP =
	'Once published, each delivery to the <b>Production URL</b> (with "?secret=") is checked with Wistfare and starts the workflow once per payout and status; see the <a data-key="executions">executions list</a>.';

/** The query parameter that carries the secret in the URL registered with Wistfare. */
export const SECRET_PARAMETER = 'secret';

export class WistfareWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wistfare Webhook Trigger',
		name: 'wistfareWebhookTrigger',
		icon: { light: 'file:wistfare.svg', dark: 'file:wistfare.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Outcomes in " + $parameter["businessId"]}}',
		description: 'Starts the workflow as soon as Wistfare reports a payout outcome, after checking it with Wistfare',
		defaults: { name: 'Wistfare Webhook Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'wistfareApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'wistfare' }],
		triggerPanel: {
			executionsHelp: {
				inactive: `<b>To try it</b>, click <b>Execute step</b>, then send a delivery to the <b>Test URL</b> + "?secret=" + your Secret: a test-key payout that completes or fails in Wistfare, or the sandbox's POST /_sandbox/webhooks {"id": "&lt;payout id&gt;", "url": "&lt;Test URL&gt;?secret=&lt;Secret&gt;"}. ${PUBLISH_HELP}`,
				active: `<b>The workflow is published</b>. ${PUBLISH_HELP} To try a change, click <b>Execute step</b> and send a delivery to the <b>Test URL</b> + "?secret=" + your Secret.`,
			},
		},
		properties: [
			{
				// The node creator lists a trigger's "Event" options by name, instead of a generic "On new … event".
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Payout Outcome Reported',
						value: 'outcomeReported',
						action: 'On payout outcome reported',
						description: 'When Wistfare sends a webhook for a completed or failed payout, checked with Wistfare first',
					},
				],
				default: 'outcomeReported',
			},
			{
				displayName:
					'Register the <b>Production URL</b> (Webhook URLs, above) in the Wistfare dashboard with your Secret after it: https://your-n8n/webhook/…/wistfare?secret=YOUR_SECRET. Each payout and status starts the workflow once (in queue mode, per webhook process: copies of one delivery reaching two processes at the same moment can both fire). A delivery lost while n8n is down is gone: add the Wistfare Trigger (polling), in a workflow of its own, to never miss one.',
				name: 'registration',
				type: 'notice',
				default: '',
			},
			businessIdField('The business whose payouts may fire'),
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				// The two statuses Wistfare sends deliveries for.
				default: ['completed', 'failed'],
				options: STATUS_OPTIONS,
				description:
					'Fire when the payout, as fetched from Wistfare, has one of these statuses. Wistfare sends deliveries for completed and failed payouts; a delivery that finds its payout already moved on (for example refunded) fires only if that status is selected.',
			},
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				required: true,
				default: '',
				description:
					'Required. Only calls whose URL ends in "?secret=" and this value are looked at; any other call is refused with 403 before any request to Wistfare, so that someone who learns the URL cannot spend your rate limit. Use a long random value, and register the URL with it in the Wistfare dashboard.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [walletIdOption],
			},
		],
	};

	webhookMethods = {
		default: {
			// Wistfare has no call to register a URL (the user pastes it in the dashboard), so nothing
			// exists to find: activation runs `create`, which checks what a delivery will need.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			/** Activation fails here, in the editor, without a Secret, or if the key cannot read the business's payouts. */
			async create(this: IHookFunctions): Promise<boolean> {
				if (!String(this.getNodeParameter('secret', '') ?? '')) {
					throw new NodeOperationError(this.getNode(), 'Set a Secret before publishing', {
						description: 'Without it, anyone who learns the URL could make the trigger look payouts up with your key. Set a long random value, and register the URL with "?secret=" and that value in the Wistfare dashboard.',
					});
				}
				const { businessId } = (await watchedScope.call(this));
				await listDisbursements.call(this, { businessId, perPage: 1 });
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const response = this.getResponseObject();
		let answered = false;
		/** Answers Wistfare now (once), so that a longer check never makes it give up and send again. */
		const acknowledge = () => {
			if (answered || response.headersSent) return;
			answered = true;
			response.status(200).json({ received: true });
		};

		// Step 1: the secret, before anything else: a forged call costs no request to Wistfare. Without
		// a Secret set, every call is refused: anyone who learned the URL could spend the rate limit.
		const secret = String(this.getNodeParameter('secret', '') ?? '');
		if (!secret || !sameSecret((this.getQueryData() as IDataObject)[SECRET_PARAMETER], secret)) {
			response.status(403).json({ error: secret ? 'This URL needs the secret set in the Wistfare Webhook Trigger' : 'The Wistfare Webhook Trigger has no Secret set: set one, and add ?secret= to the URL' });
			return { noWebhookResponse: true };
		}

		// Step 2: what the delivery names. Other events are answered and start nothing.
		const delivery = readDelivery(this.getBodyData());
		if (delivery.kind === 'ignored') return { webhookResponse: { received: true, ignored: delivery.reason } };

		// Step 3: the scope. Calls for one payout take turns in this process (webhook/recent.ts).
		const scope: Scope = { ...(await watchedScope.call(this)), statuses: (this.getNodeParameter('statuses', []) as string[]) ?? [] };
		const recent = recentOf(`${this.getWorkflow().id ?? ''}\n${this.getNode().name}\n${this.getMode()}`);
		const outcome = await inTurn(recent, delivery.id, async () => await decideOnce.call(this, delivery, scope, recent, acknowledge), acknowledge);

		// Step 5: fire once per payout and status. The node answers the call itself before it fires:
		// n8n 2.41 saves the static data a call changed when the call is answered, and a workflow it
		// starts from an unanswered call resets the record that the data changed (the memory was lost).
		if (!outcome.fire) return answered ? { noWebhookResponse: true } : { webhookResponse: { received: true, ignored: outcome.reason } };
		acknowledge();
		const shared = sharedWorkflowWarning(this.getWorkflowStaticData('global'), 'webhook', this.getNode().name);
		if (shared) this.logger.warn(`Wistfare Webhook Trigger: ${shared}`);
		const event = shared ? { ...outcome.event, triggerWarnings: [...((outcome.event.triggerWarnings as string[]) ?? []), shared] } : outcome.event;
		return { noWebhookResponse: true, workflowData: [[{ json: event }]] };
	}
}

type Decision = { fire: false; reason: string } | { fire: true; event: IDataObject };

/**
 * Steps 3 and 4 of a delivery, in its payout's turn: what fired before (the static data and the
 * process's recent copy joined), the payout as Wistfare shows it, and what is remembered of it.
 */
async function decideOnce(
	this: IWebhookFunctions,
	delivery: { id: string; event: string },
	scope: Scope,
	recent: { memory: FiredMemory },
	acknowledge: () => void,
): Promise<Decision> {
	const staticData = this.getWorkflowStaticData('node');
	const memory = joined(readMemory(staticData.fired, clock.now()), recent.memory);
	const session: WistfareSession = { dialect: keptDialect(staticData.dialect) };

	// Step 4: nothing in the payload is believed: the payout as Wistfare shows it decides.
	const verdict = await confirm.call(this, delivery.id, scope, memory, session, acknowledge);
	if (session.dialect) staticData.dialect = session.dialect;
	if (!verdict.fire) {
		if (verdict.forgotten) {
			// Said where the user looks: the next item fired carries it, and n8n's log has it now.
			staticData.fired = withNotice(memory, `${new Date(clock.now()).toISOString()}: ${verdict.reason}.`) as unknown as IDataObject;
			this.logger.warn(`Wistfare Webhook Trigger: ${verdict.reason}`);
		}
		return { fire: false, reason: verdict.reason };
	}
	const { notices, ...kept } = remember(memory, verdict.key, clock.now());
	// RunningExecution again: calls for other payouts may have fired meanwhile, and n8n saves the data whole.
	const all = joined(kept, recent.memory);
	staticData.fired = all as unknown as IDataObject;
	recent.memory = trimmed(all);
	return { fire: true, event: { ...toEvent(verdict.payout, null), deliveredEvent: delivery.event, ...(notices ? { triggerWarnings: notices } : {}) } };
}
