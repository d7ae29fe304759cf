import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { businessIdField, walletIdOption, watchedScope } from '../Wistfare/actions/fields';
import { getDisbursement, listDisbursements } from '../Wistfare/transport/client';
import { clock } from '../Wistfare/transport/clock';
import { keptDialect } from '../Wistfare/transport/dialect';
import { STATUS_OPTIONS } from '../Wistfare/transport/status';
import type { Disbursement, WistfareSession } from '../Wistfare/transport/types';
import { toEvent } from '../WistfareTrigger/state';
import { judge, readDelivery, remember, sameSecret, type Fired, type Scope, type Verdict } from './delivery';

/** The first look-up must answer within this, so that Wistfare gets its answer in time (senders commonly wait 5 to 30 s). */
export const FIRST_LOOK_TIMEOUT_MS = 3_000;
/** Looks again (a read lagging the delivery, a 5xx, a 429, a lost answer) for up to this long. */
export const CONFIRM_WITHIN_MS = 60_000;
const FIRST_WAIT_MS = 1_000;

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
		properties: [
			{
				displayName:
					'Wistfare has no call to register a webhook: in the Wistfare dashboard, add this node\'s Production URL (above) as the webhook URL for disbursement events. With a Secret set, add "?secret=" and the secret to that URL. Every delivery is checked by fetching the payout from Wistfare before the workflow starts.',
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
				default: '',
				description:
					'Optional. When set, only calls whose URL carries "?secret=" and this value are looked at; any other call is refused with 403 before any request to Wistfare is made.',
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
			/** Activation fails here, in the editor, if the key cannot read the business's payouts. */
			async create(this: IHookFunctions): Promise<boolean> {
				const { businessId } = watchedScope.call(this);
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

		// Step 1: the secret, before anything else: a forged call costs no request to Wistfare.
		const secret = String(this.getNodeParameter('secret', '') ?? '');
		if (secret && !sameSecret((this.getQueryData() as IDataObject)[SECRET_PARAMETER], secret)) {
			response.status(403).json({ error: 'This URL needs the secret set in the Wistfare Webhook Trigger' });
			return { noWebhookResponse: true };
		}

		// Step 2: what the delivery names. Other events are answered and start nothing.
		const delivery = readDelivery(this.getBodyData());
		if (delivery.kind === 'ignored') return { webhookResponse: { received: true, ignored: delivery.reason } };

		// Step 3: the scope.
		const scope: Scope = { ...watchedScope.call(this), statuses: (this.getNodeParameter('statuses', []) as string[]) ?? [] };
		const staticData = this.getWorkflowStaticData('node');
		const fired = (staticData.fired ?? {}) as Fired;
		const session: WistfareSession = { dialect: keptDialect(staticData.dialect) };

		// Step 4: nothing in the payload is believed: the payout as Wistfare shows it decides.
		const verdict = await confirm.call(this, delivery.id, scope, fired, session, acknowledge);
		if (session.dialect) staticData.dialect = session.dialect;

		// Step 5: fire once per payout and status. n8n saves the static data before it answers.
		if (!verdict.fire) {
			return answered ? { noWebhookResponse: true } : { webhookResponse: { received: true, ignored: verdict.reason } };
		}
		staticData.fired = remember(fired, verdict.key, clock.now());
		const event = { ...toEvent(verdict.payout, null), deliveredEvent: delivery.event };
		return { ...(answered ? { noWebhookResponse: true } : {}), workflowData: [[{ json: event }]] };
	}
}

/** A failed look-up worth another: the payout not visible yet, a 5xx, a 429, or no answer. */
function worthAnother(error: NodeApiError): boolean {
	const status = Number(error.httpCode);
	return !Number.isFinite(status) || status === 0 || status === 404 || status === 429 || status >= 500;
}

const isNotFound = (error: NodeApiError | undefined) => error?.httpCode === '404';

/**
 * Fetches the payout until it fires, is ruled out, or `CONFIRM_WITHIN_MS` is up. The first look is
 * one try inside the time Wistfare waits; before any wait Wistfare gets its answer (`acknowledge`),
 * and the node looks again itself: Wistfare's own re-delivery is not documented, so nothing relies
 * on it. A 403 rules the payout out (the key may not read it: not the business's); any other failure
 * that is not worth another look (a bad key) throws at once.
 */
async function confirm(
	this: IWebhookFunctions,
	id: string,
	scope: Scope,
	fired: Fired,
	session: WistfareSession,
	acknowledge: () => void,
): Promise<Verdict> {
	const started = clock.now();
	for (let attempt = 0; ; attempt++) {
		let payout: Disbursement | undefined;
		let failure: NodeApiError | undefined;
		try {
			payout = await getDisbursement.call(this, id, attempt === 0 ? { session, oneTry: true, timeoutMs: FIRST_LOOK_TIMEOUT_MS } : { session });
		} catch (error) {
			// The key may not read this payout: not one of the business's (a forged or foreign id).
			if (error instanceof NodeApiError && error.httpCode === '403') return { fire: false, reason: `the credential may not read payout ${id}`, final: true };
			if (error instanceof NodeApiError && worthAnother(error)) failure = error;
			else throw error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error);
		}
		const verdict = payout ? judge(payout, scope, fired) : undefined;
		if (verdict && (verdict.fire || verdict.final)) return verdict;

		const waitMs = FIRST_WAIT_MS * 2 ** attempt;
		if (clock.now() + waitMs - started > CONFIRM_WITHIN_MS) {
			// A payout Wistfare never showed, or never with a status that fires: nothing starts.
			if (verdict) return verdict;
			if (isNotFound(failure) || !failure) return { fire: false, reason: `Wistfare has no payout ${id}`, final: true };
			throw failure;
		}
		acknowledge();
		await clock.sleep(waitMs);
	}
}
