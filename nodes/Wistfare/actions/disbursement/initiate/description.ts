import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { businessIdField, walletIdField } from '../../fields';

export const DEFAULT_CONCURRENCY = 4;

/**
 * The number fields' bounds for the checks. n8n's linter wants literals in the descriptions, so a
 * test keeps the two equal.
 */
export const LIMITS = {
	concurrency: { min: 1, max: 16, default: DEFAULT_CONCURRENCY },
	pollIntervalSeconds: { min: 1, max: 300, default: 5 },
	requestTimeoutSeconds: { min: 1, max: 120, default: 30 },
	timeoutSeconds: { min: 1, max: 3600, default: 120 },
	settleSeconds: { min: 0, max: 600, default: 30 },
};

/** The Funds Check field's values, the first the default. */
export const FUNDS_CHECK_MODES = ['refuseBatch', 'payWhileFundsLast', 'off'] as const;

const properties: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		default: 'pay',
		options: [
			{ name: 'Pay', value: 'pay', description: 'Send the payouts' },
			{
				name: 'Preview (Send No Payout)',
				value: 'preview',
				description: 'Output what Pay would do for each item, the estimated fees and the funds check, and send no payout request',
			},
		],
		description:
			'Preview reads what Pay would read (references, wallet, fees) and sends nothing: switch back to Pay without re-mapping any field. Fixed per node, so an AI agent given a Preview tool cannot pay with it.',
	},
	{
		displayName: 'Funds Check',
		name: 'fundsCheck',
		type: 'options',
		default: 'refuseBatch',
		options: [
			{
				name: 'Refuse the Whole Batch If Short',
				value: 'refuseBatch',
				description: 'When a wallet cannot cover the batch, send nothing and fail with the balance and what the batch needs',
			},
			{
				name: 'Pay in Input Order While Funds Last',
				value: 'payWhileFundsLast',
				description: 'Pay the items in order while the balance covers them; fail the first item it does not cover and every later item of that wallet',
			},
			{
				name: 'Don\'t Check',
				value: 'off',
				description: 'Do not read the wallet and fees before paying (the credential\'s Max Total Per Day is still checked)',
			},
		],
		description:
			'Before the first payout request, the wallet\'s balance and state are compared with the amounts of the payouts that would really be sent plus their estimated fees (the first item\'s value counts). A wallet or fee configuration Wistfare does not serve is not checked, and the output pane says so.',
	},
	businessIdField('The business that pays'),
	walletIdField('The business wallet the money leaves from'),
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		required: true,
		default: '',
		placeholder: '5000',
		description:
			'In major units as a plain decimal, e.g. 5000. RWF and other currencies without a minor unit take whole numbers only; others at most 2 decimals.',
	},
	{
		displayName: 'Destination Type',
		name: 'destinationType',
		type: 'options',
		required: true,
		default: 'mobile_money',
		options: [{ name: 'Mobile Money', value: 'mobile_money' }],
		description:
			'The rail the money goes out on. Use an expression for another rail Wistfare supports for your business.',
	},
	{
		displayName: 'Destination Ref',
		name: 'destinationRef',
		type: 'string',
		required: true,
		default: '',
		placeholder: '250788000000',
		description:
			'Who receives the money. For mobile money: the phone number with its country code, e.g. 250788000000; spaces, dashes, dots, brackets and a leading + are removed. A number starting with 0 needs Default Country Code.',
	},
	{
		displayName: 'Reference ID',
		name: 'referenceId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'invoice-2026-0042',
		hint: 'Use a value unique per payout from your own data (an invoice or payroll line). The same reference never pays twice: a re-run returns the payout that already exists.',
		description:
			'Your own reference for this payout. It makes the payout safe to retry and lets you find it later.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Currency',
				name: 'currency',
				type: 'string',
				default: 'RWF',
				description: 'ISO 4217 code, e.g. RWF',
			},
			{
				displayName: 'Default Country Code',
				name: 'defaultCountryCode',
				type: 'string',
				default: '',
				placeholder: '250',
				description:
					'For mobile money numbers typed in national form (0788 123 456): the country code that replaces their leading 0. Empty: such a number is refused with the fix, before any request.',
			},
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				description: 'Shown with the payout in Wistfare',
			},
			{
				displayName: 'Destination Name',
				name: 'destinationName',
				type: 'string',
				default: '',
				description: 'The name of the person or business receiving the money',
			},
			{
				displayName: 'If Reference Exists',
				name: 'ifReferenceExists',
				type: 'options',
				default: 'returnExisting',
				options: [
					{
						name: 'Return Existing Payout',
						value: 'returnExisting',
						description: 'Send nothing and output the payout that has this reference (flagged duplicate: true)',
					},
					{
						name: 'Error',
						value: 'error',
						description: 'Send nothing and fail the item',
					},
					{
						name: 'Pay Again If It Failed',
						value: 'payAgainIfFailed',
						description:
							'When every payout with this Reference ID failed, pay again under REF~2 (then REF~3…); when one is pending, processing or completed, output it and send nothing',
					},
				],
				description: 'What to do when Wistfare already has a payout with this Reference ID',
			},
		],
	},
	{
		displayName: 'Wait for Final Status',
		name: 'waitForFinalStatus',
		type: 'boolean',
		default: false,
		description:
			'Whether to keep polling the payout until it is completed, failed or refunded before going on. For long waits or many payouts, use the Wistfare Trigger instead.',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		displayOptions: { show: { waitForFinalStatus: [true] } },
	type: 'number',
		typeOptions: { minValue: 1, maxValue: 3600 },
		default: 120,
		description:
			'How long to wait. On timeout the item carries the last status and timedOut: true.',
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollIntervalSeconds',
		displayOptions: { show: { waitForFinalStatus: [true] } },
	type: 'number',
		typeOptions: { minValue: 1, maxValue: 300 },
		default: 5,
		description: 'How often to ask Wistfare',
	},
	{
		displayName: 'Advanced Options',
		name: 'advancedOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		description: 'How the batch is sent; the defaults suit most workflows',
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 16 },
				default: DEFAULT_CONCURRENCY,
				description:
					'How many payouts are sent at the same time (the first item\'s value counts). Output order and pairing are kept; on a 429 all of them wait and fewer are sent at once.',
			},
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					'Sent as Idempotency-Key. Empty: derived from the business and the Reference ID. The node does not rely on Wistfare honouring it: the Reference ID is what keeps a payout from being sent twice.',
			},
			{
				displayName: 'Request Timeout (Seconds)',
				name: 'requestTimeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 120 },
				default: 30,
				description:
					'How long to wait for Wistfare to answer the payout request. Past it the outcome is unknown: the node looks the reference up (see Settle Window) before anything is sent again.',
			},
			{
				displayName: 'Settle Window (Seconds)',
				name: 'settleSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 600 },
				default: 30,
				description:
					'When a payout request gets no clear answer, how long the node keeps looking its reference up before it concludes Wistfare has no such payout. Wistfare may list a new payout only seconds after creating it: a window shorter than that delay can pay twice on a server that ignores the Idempotency-Key.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['disbursement'], operation: ['initiate'] } },
	properties,
);
