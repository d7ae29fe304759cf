import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { initiateDisbursement } from '../../transport/client';
import type { RequestGate } from '../../transport/gate';
import type { Disbursement, InitiateDisbursementParams } from '../../transport/types';
import { businessIdField } from '../fields';
import {
	InvalidField,
	normalizeAmount,
	normalizeCurrency,
	normalizeDestinationRef,
	requireText,
} from '../validation';
import {
	checkPayoutGuard,
	deriveIdempotencyKey,
	findByReference,
	mismatch,
	outcomeUnknown,
	unknownOutcomeError,
	waitForFinalStatus,
} from './payout-safety';

const show = { resource: ['disbursement'], operation: ['initiate'] };

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
};

export const description: INodeProperties[] = [
	businessIdField('The business that pays', { show }),
	{
		displayName: 'Wallet ID',
		name: 'walletId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'wal_456',
		description: 'The business wallet the money leaves from',
		displayOptions: { show },
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		required: true,
		default: '',
		placeholder: '5000',
		description:
			'In major units as a plain decimal, e.g. 5000. RWF and other currencies without a minor unit take whole numbers only; others at most 2 decimals.',
		displayOptions: { show },
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
		displayOptions: { show },
	},
	{
		displayName: 'Destination Ref',
		name: 'destinationRef',
		type: 'string',
		required: true,
		default: '',
		placeholder: '250788000000',
		description:
			'Who receives the money. For mobile money: the phone number in international form, 9 to 15 digits (a leading + is removed).',
		displayOptions: { show },
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
		displayOptions: { show },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
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
				displayName: 'Currency',
				name: 'currency',
				type: 'string',
				default: 'RWF',
				description: 'ISO 4217 code, e.g. RWF',
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
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					'Sent as Idempotency-Key. Empty: derived from the business and the Reference ID, so the same payout is never sent twice.',
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
				],
				description: 'What to do when Wistfare already has a payout with this Reference ID',
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollIntervalSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 300 },
				default: 5,
				description: 'With Wait for Final Status: how often to ask Wistfare',
			},
			{
				displayName: 'Request Timeout (Seconds)',
				name: 'requestTimeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 120 },
				default: 30,
				description:
					'How long to wait for Wistfare to answer the payout request. Past it the request is retried with the same Idempotency-Key and then reconciled by reference.',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 3600 },
				default: 120,
				description:
					'With Wait for Final Status: how long to wait. On timeout the item carries the last status and timedOut: true.',
			},
			{
				displayName: 'Wait for Final Status',
				name: 'waitForFinalStatus',
				type: 'boolean',
				default: false,
				description:
					'Whether to keep polling the payout until it is completed, failed or refunded before going on. For long waits or many payouts, use the Wistfare Trigger instead.',
			},
		],
	},
];

/** Reads and checks one item's parameters: everything that can be wrong fails before a request. */
export function readInitiateParams(this: IExecuteFunctions, itemIndex: number): InitiateDisbursementParams {
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const destinationType = requireText('destinationType', this.getNodeParameter('destinationType', itemIndex));
	const currency = normalizeCurrency(additional.currency);
	const params: InitiateDisbursementParams = {
		businessId: requireText('businessId', this.getNodeParameter('businessId', itemIndex)),
		walletId: requireText('walletId', this.getNodeParameter('walletId', itemIndex)),
		amount: normalizeAmount(this.getNodeParameter('amount', itemIndex), currency),
		destinationType,
		destinationRef: normalizeDestinationRef(this.getNodeParameter('destinationRef', itemIndex), destinationType),
		referenceId: requireText('referenceId', this.getNodeParameter('referenceId', itemIndex, '')),
		currency,
	};
	for (const field of ['description', 'destinationName'] as const) {
		const value = additional[field];
		if (typeof value === 'string' && value.trim() !== '') params[field] = value.trim();
	}
	return params;
}

function bounded(field: keyof typeof LIMITS, value: unknown): number {
	const { min, max, default: fallback } = LIMITS[field];
	if (value === undefined || value === null || value === '') return fallback;
	const number = Number(value);
	if (!Number.isFinite(number) || number < min || number > max) {
		throw new InvalidField(field, `${String(value)} is not a number from ${min} to ${max}`);
	}
	return number;
}

export interface InitiatePlan {
	params: InitiateDisbursementParams;
	idempotencyKey: string;
	ifReferenceExists: 'returnExisting' | 'error';
	requestTimeoutMs: number;
	wait?: { timeoutSeconds: number; pollIntervalSeconds: number };
}

/**
 * Everything about one item that is decided before Wistfare is asked anything. The credential is the
 * node's, the same for every item: the caller reads it once.
 */
export function planInitiate(
	this: IExecuteFunctions,
	itemIndex: number,
	credentials: ICredentialDataDecryptedObject,
): InitiatePlan {
	const params = readInitiateParams.call(this, itemIndex);
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	checkPayoutGuard(credentials, params);
	const ownKey = typeof additional.idempotencyKey === 'string' ? additional.idempotencyKey.trim() : '';
	return {
		params,
		idempotencyKey: ownKey || deriveIdempotencyKey(params.businessId, params.referenceId!),
		ifReferenceExists: additional.ifReferenceExists === 'error' ? 'error' : 'returnExisting',
		requestTimeoutMs: bounded('requestTimeoutSeconds', additional.requestTimeoutSeconds) * 1000,
		wait: additional.waitForFinalStatus
			? {
					timeoutSeconds: bounded('timeoutSeconds', additional.timeoutSeconds),
					pollIntervalSeconds: bounded('pollIntervalSeconds', additional.pollIntervalSeconds),
				}
			: undefined,
	};
}

/**
 * One payout, safely: look the reference up first, send with a deterministic Idempotency-Key (so the
 * transport may retry it), and when the outcome is unknown reconcile by reference before reporting.
 */
export async function initiateSafely(
	this: IExecuteFunctions,
	plan: InitiatePlan,
	itemIndex: number,
	gate?: RequestGate,
): Promise<IDataObject> {
	const { params, idempotencyKey } = plan;
	const options = { itemIndex, gate };
	const referenceId = params.referenceId!;
	const existing = await findByReference.call(this, params.businessId, referenceId, options);
	let result: IDataObject;
	if (existing) {
		const difference = mismatch(existing, params);
		if (plan.ifReferenceExists === 'error' || difference) {
			throw new NodeOperationError(
				this.getNode(),
				`A payout with reference "${referenceId}" already exists (${existing.id}, ${existing.status})${difference ? ` with other details: ${difference}` : ''}; nothing was sent`,
				{
					itemIndex,
					description: difference
						? 'The same reference was used for a different payout. Give each payout its own Reference ID.'
						: 'Set "If Reference Exists" to "Return Existing Payout" to get it as the output instead.',
				},
			);
		}
		result = { ...existing, idempotencyKey, duplicate: true };
	} else {
		let created: Disbursement;
		try {
			created = await initiateDisbursement.call(this, params, { ...options, idempotencyKey, timeoutMs: plan.requestTimeoutMs });
		} catch (error) {
			if (!outcomeUnknown(error)) {
				throw error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			}
			let found: Disbursement | undefined;
			let lookup = 'no payout with this reference was found';
			try {
				found = await findByReference.call(this, params.businessId, referenceId, options);
			} catch (lookupError) {
				lookup = `looking the reference up failed too (${(lookupError as Error).message})`;
			}
			if (found && !mismatch(found, params)) created = { ...found, reconciled: true };
			else throw unknownOutcomeError.call(this, error as NodeApiError, referenceId, itemIndex, lookup);
		}
		result = { ...created, idempotencyKey };
	}
	if (plan.wait) {
		const final = await waitForFinalStatus.call(
			this,
			result as Disbursement,
			plan.wait.timeoutSeconds,
			plan.wait.pollIntervalSeconds,
			options,
		);
		result = { ...result, ...final };
	}
	return result;
}

/** Payouts in flight at once for this execution, read from the first item. */
export function concurrency(this: IExecuteFunctions): number {
	const additional = this.getNodeParameter('additionalFields', 0, {}) as IDataObject;
	return bounded('concurrency', additional.concurrency);
}
