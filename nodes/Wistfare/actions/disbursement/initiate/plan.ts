import { createHash } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	InvalidField,
	normalizeAmount,
	normalizeCurrency,
	normalizeCountryCode,
	normalizeDestinationRef,
	requireText,
} from '../../validation';
import type { InitiateDisbursementParams } from '../../../payout/types';
import { idOrDefault } from '../../fields';
import { FUNDS_CHECK_MODES, LIMITS } from './description';
import { checkPayoutGuard } from './guards';

/** Everything about one payout that is decided before Wistfare is asked anything. */
export interface InitiatePlan {
	itemIndex: number;
	params: InitiateDisbursementParams & { referenceId: string };
	idempotencyKey: string;
	/** The key the user set (Additional Fields), if any: a payout paid again derives its own from it. */
	ownIdempotencyKey?: string;
	ifReferenceExists: 'returnExisting' | 'error' | 'payAgainIfFailed';
	wait?: { timeoutMs: number; pollIntervalMs: number };
}

/** How Initiate treats a batch its funds (or the credential's Max Total Per Day) cannot cover. */
export type FundsCheckMode = (typeof FUNDS_CHECK_MODES)[number];

/** What holds for the whole execution, read once (from the first item where a field allows expressions). */
export interface InitiateSettings {
	concurrency: number;
	requestTimeoutMs: number;
	settleMs: number;
	fundsCheck: FundsCheckMode;
}

/** What makes two payouts the same one: their business and reference. */
export function payoutKey({ businessId, referenceId }: { businessId: string; referenceId: string }): string {
	return `${businessId}\n${referenceId}`;
}

/**
 * The same business and reference always give the same key. Wistfare may ignore it: the reference
 * look-up is what keeps a payout from being sent twice; the key is a second line of defence.
 */
export function deriveIdempotencyKey(businessId: string, referenceId: string): string {
	const digest = createHash('sha256').update(payoutKey({ businessId, referenceId })).digest('hex');
	return `n8n-wf-${digest.slice(0, 40)}`;
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

/**
 * One item's optional settings from wherever the panel puts them: Additional Fields (the payout's),
 * Advanced Options (how the batch is sent), and Funds Check and Wait for Final Status beside them.
 */
function additionalFields(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const wait = this.getNodeParameter('waitForFinalStatus', itemIndex, false) === true;
	return {
		...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
		...(this.getNodeParameter('advancedOptions', itemIndex, {}) as IDataObject),
		fundsCheck: this.getNodeParameter('fundsCheck', itemIndex, 'refuseBatch'),
		waitForFinalStatus: wait,
		...(wait
			? { timeoutSeconds: this.getNodeParameter('timeoutSeconds', itemIndex, undefined), pollIntervalSeconds: this.getNodeParameter('pollIntervalSeconds', itemIndex, undefined) }
			: {}),
	};
}

export function readSettings(this: IExecuteFunctions): InitiateSettings {
	const additional = additionalFields.call(this, 0);
	return {
		concurrency: bounded('concurrency', additional.concurrency),
		requestTimeoutMs: bounded('requestTimeoutSeconds', additional.requestTimeoutSeconds) * 1000,
		settleMs: bounded('settleSeconds', additional.settleSeconds) * 1000,
		fundsCheck: FUNDS_CHECK_MODES.find((mode) => mode === additional.fundsCheck) ?? 'refuseBatch',
	};
}

/** Reads and checks one item's payout: everything that can be wrong fails before a request. */
export function readInitiateParams(this: IExecuteFunctions, itemIndex: number, additional: IDataObject, credentials: ICredentialDataDecryptedObject): InitiatePlan['params'] {
	const destinationType = requireText('destinationType', this.getNodeParameter('destinationType', itemIndex));
	const currency = normalizeCurrency(additional.currency);
	const params: InitiatePlan['params'] = {
		businessId: idOrDefault('businessId', this.getNodeParameter('businessId', itemIndex), credentials),
		walletId: idOrDefault('walletId', this.getNodeParameter('walletId', itemIndex), credentials),
		amount: normalizeAmount(this.getNodeParameter('amount', itemIndex), currency),
		destinationType,
		destinationRef: normalizeDestinationRef(this.getNodeParameter('destinationRef', itemIndex), destinationType, normalizeCountryCode(additional.defaultCountryCode)),
		referenceId: requireText('referenceId', this.getNodeParameter('referenceId', itemIndex, '')),
		currency,
	};
	for (const field of ['description', 'destinationName'] as const) {
		const value = additional[field];
		if (typeof value === 'string' && value.trim() !== '') params[field] = value.trim();
	}
	return params;
}

/** One item's plan. The credential is the node's, the same for every item: the caller reads it once. */
export function planInitiate(
	this: IExecuteFunctions,
	itemIndex: number,
	credentials: ICredentialDataDecryptedObject,
): InitiatePlan {
	const additional = additionalFields.call(this, itemIndex);
	const params = readInitiateParams.call(this, itemIndex, additional, credentials);
	checkPayoutGuard(credentials, params);
	const ownKey = typeof additional.idempotencyKey === 'string' ? additional.idempotencyKey.trim() : '';
	return {
		itemIndex,
		params,
		idempotencyKey: ownKey || deriveIdempotencyKey(params.businessId, params.referenceId),
		...(ownKey ? { ownIdempotencyKey: ownKey } : {}),
		ifReferenceExists: additional.ifReferenceExists === 'error' || additional.ifReferenceExists === 'payAgainIfFailed' ? additional.ifReferenceExists : 'returnExisting',
		wait: additional.waitForFinalStatus
			? {
					timeoutMs: bounded('timeoutSeconds', additional.timeoutSeconds) * 1000,
					pollIntervalMs: bounded('pollIntervalSeconds', additional.pollIntervalSeconds) * 1000,
				}
			: undefined,
	};
}
