import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { MAX_PAGE_SIZE } from './api/client';
import { disbursementPages } from './api/pages';
import { sharedWorkflowWarning } from './api/shared-workflow';
import { clock } from './api/clock';
import { keptDialect } from './api/dialect';
import { STATUS_OPTIONS } from './payout/status';
import type { WistfareSession } from './api/session';
import { businessIdField, walletIdOption, watchedScope } from './actions/fields';
import { observe, type Scope } from './trigger/observe';
import { decide } from './trigger/decide';
import { toEvent } from './payout/event';
import { DEFAULT_CAP, DEFAULT_WINDOW_MS, upgradeState, type TriggerOptions } from './trigger/state';

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** What the trigger panel says of publishing and Poll Times (latency and cost). */
const POLL_HELP =
	'Once published, n8n asks Wistfare at the <b>Poll Times</b> you set and starts the workflow once for each payout status change since the last poll, however far apart the polls are: nothing is missed. Every minute, a change starts the workflow within about a minute, for about one request a poll when nothing changed, plus one per 100 payouts still in flight (1,440 polls a day). Hourly or daily, changes arrive up to an hour or a day late, all at once, for the same cost a poll plus one request per 100 payouts created meanwhile. These executions show in the <a data-key="executions">executions list</a>, not in the editor.';

/** How many pages "Fetch Test Event" looks through for a matching payout. */
const TEST_EVENT_PAGES = 3;

export class WistfareTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wistfare Trigger',
		name: 'wistfareTrigger',
		icon: { light: 'file:wistfare.svg', dark: 'file:wistfare.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Status changes in " + $parameter["businessId"]}}',
		// n8n's node creator lists this trigger under the Wistfare node (its name without "Trigger") and
		// shows the trigger's description for both: it says what the two do together.
		description: 'Pay vendors, drivers and staff to mobile money with Wistfare, and start workflows when a payout changes status',
		defaults: { name: 'Wistfare Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'wistfareApi', required: true }],
		triggerPanel: {
			executionsHelp: {
				inactive: `<b>While building your workflow</b>, click 'Fetch Test Event': it returns the newest <b>real</b> payout of this business that matches Statuses (not a mock), as the trigger would output it, without changing what the trigger has seen. ${POLL_HELP}`,
				active: `<b>While building your workflow</b>, click 'Fetch Test Event': it returns the newest <b>real</b> payout of this business that matches Statuses (not a mock), without changing what the trigger has seen. <b>The workflow is published</b>: ${POLL_HELP}`,
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
						name: 'Payout Status Changed',
						value: 'statusChanged',
						action: 'On payout status changed',
						description: 'Once for each payout and status: a new payout, then each change (completed, failed, refunded…)',
					},
				],
				default: 'statusChanged',
			},
			businessIdField('The business whose payouts to watch'),
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				default: [],
				options: STATUS_OPTIONS,
				description: 'Fire only when a payout reaches one of these statuses. None selected: every status.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					walletIdOption,
					{
						displayName: 'Visibility Window (Minutes)',
						name: 'windowMinutes',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 1440 },
						default: 10,
						description:
							'How late a payout may first appear in Wistfare\'s list, after its creation time, and still fire. Mobile money payouts can commit minutes after the request started. Polls reread the payouts created this long before the last poll, so a longer window costs more requests when many payouts are created; it does not limit how far apart polls may be.',
					},
					{
						displayName: 'Watch Refunds (Days)',
						name: 'watchRefundsDays',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 365 },
						default: 0,
						description:
							'How long a completed payout is still watched for a later change (a refund, or anything else). 0: a completed payout is not watched any more.',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const { businessId, walletId } = (await watchedScope.call(this));
		const extra = this.getNodeParameter('options', {}) as IDataObject;
		const days = Number(extra.watchRefundsDays ?? 0);
		const minutes = Number(extra.windowMinutes ?? 10);
		const options: TriggerOptions = {
			statuses: (this.getNodeParameter('statuses', []) as string[]) ?? [],
			watchRefundsMs: Number.isFinite(days) && days > 0 ? days * DAY_MS : 0,
			cap: DEFAULT_CAP,
			windowMs: Number.isFinite(minutes) && minutes > 0 ? minutes * MINUTE_MS : DEFAULT_WINDOW_MS,
		};
		const staticData = this.getWorkflowStaticData('node');
		// What the server showed of its dialect is kept with the state: a strict server costs one 422, once.
		const session: WistfareSession = { dialect: keptDialect(staticData.dialect) };
		const scope: Scope = { businessId, walletId, session };

		if (this.getMode() === 'manual') return await testEvent.call(this, scope, options);

		const scopeKey = walletId ? `${businessId}/${walletId}` : businessId;
		const saved = upgradeState(staticData.state);
		const previous = saved && saved.scope === scopeKey ? saved : undefined;
		const started = clock.now();
		// Stop starting requests well inside n8n's budget for a poll: the next poll carries on.
		const budgetMs = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : 5 * MINUTE_MS;
		// Everything that can fail happens before the state changes: a failed poll leaves it as it was.
		const observation = await observe.call(this, previous, scope, {
			windowMs: options.windowMs,
			watchFrom: options.watchRefundsMs > 0 ? started - options.watchRefundsMs : undefined,
			deadline: started + budgetMs * 0.6,
		});
		const { events, next, dropped, warnings } = decide(previous, observation, options);
		const shared = sharedWorkflowWarning(this.getWorkflowStaticData('global'), 'polling', this.getNode().name);
		if (shared) {
			warnings.push(shared);
			this.logger.warn(`Wistfare Trigger: ${shared}`);
		}
		if (dropped > 0) this.logger.warn(`Wistfare Trigger (${scopeKey}): ${dropped} payouts dropped at the cap of ${options.cap}`);
		staticData.state = { ...next, scope: scopeKey } as unknown as IDataObject;
		if (session.dialect) staticData.dialect = session.dialect;
		if (events.length === 0) return null;
		return [events.map((event) => ({ json: warnings.length ? { ...event, triggerWarnings: warnings } : event }))];
	}
}

/** "Fetch Test Event": the newest matching payout as an event; the trigger's state is left untouched. */
async function testEvent(
	this: IPollFunctions,
	scope: Scope,
	options: TriggerOptions,
): Promise<INodeExecutionData[][]> {
	let pages = 0;
	for await (const page of disbursementPages.call(this, {
		businessId: scope.businessId,
		walletId: scope.walletId,
		perPage: MAX_PAGE_SIZE,
		...(options.statuses.length === 1 ? { status: options.statuses[0] } : {}),
	}, { session: scope.session })) {
		const match = page.data.find(
			(disbursement) =>
				(!scope.walletId || disbursement.walletId === scope.walletId) &&
				(options.statuses.length === 0 || options.statuses.includes(disbursement.status)),
		);
		if (match) {
			return [[{ json: toEvent(match, null) }]];
		}
		if (++pages >= TEST_EVENT_PAGES) break;
	}
	const which = options.statuses.length ? ` with status ${options.statuses.join(' or ')}` : '';
	throw new NodeOperationError(
		this.getNode(),
		`No payout${which} found for business "${scope.businessId}"${scope.walletId ? ` and wallet "${scope.walletId}"` : ''}`,
		{
			description:
				'Create a payout first (for example with the Wistfare node\'s Initiate operation, or in the sandbox), then fetch the test event again.',
		},
	);
}
