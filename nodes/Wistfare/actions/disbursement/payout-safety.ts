import { createHash } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { disbursementPages, getDisbursement, MAX_PAGE_SIZE } from '../../transport/client';
import type { Disbursement, InitiateDisbursementParams, RequestOptions } from '../../transport/types';
import { InvalidField } from '../validation';

/**
 * The same business and reference always give the same key, so a re-run, n8n's Retry On Fail or a
 * retry after a dropped connection can never create a second payout.
 */
export function deriveIdempotencyKey(businessId: string, referenceId: string): string {
	const digest = createHash('sha256').update(`${businessId}\n${referenceId}`).digest('hex');
	return `n8n-wf-${digest.slice(0, 40)}`;
}

function decimal(value: string): number {
	return Number(value);
}

/** The credential's payout guard: checked before any request. */
export function checkPayoutGuard(credentials: ICredentialDataDecryptedObject, params: InitiateDisbursementParams) {
	const rawCap = typeof credentials.maxAmountPerPayout === 'string' ? credentials.maxAmountPerPayout.trim() : credentials.maxAmountPerPayout;
	if (rawCap !== undefined && rawCap !== null && rawCap !== '') {
		const cap = Number(rawCap);
		if (!Number.isFinite(cap) || cap <= 0) {
			throw new InvalidField('amount', `cannot be checked: the credential's Max Amount Per Payout "${String(rawCap)}" is not a positive number`);
		}
		if (decimal(params.amount) > cap) {
			throw new InvalidField('amount', `${params.amount} is above this credential's Max Amount Per Payout (${cap}): payout refused`);
		}
	}
	const allowed = String(credentials.allowedDestinationTypes ?? '')
		.split(',')
		.map((type) => type.trim())
		.filter(Boolean);
	if (allowed.length && !allowed.includes(params.destinationType)) {
		throw new InvalidField(
			'destinationType',
			`"${params.destinationType}" is not allowed by this credential (allowed: ${allowed.join(', ')}): payout refused`,
		);
	}
}

/** Why an existing payout is not the one asked for, or undefined when it matches. */
export function mismatch(existing: Disbursement, params: InitiateDisbursementParams): string | undefined {
	const differences: string[] = [];
	if (decimal(String(existing.amount)) !== decimal(params.amount)) differences.push(`amount ${existing.amount} (asked ${params.amount})`);
	if (existing.destinationRef !== params.destinationRef) differences.push(`destination ${existing.destinationRef} (asked ${params.destinationRef})`);
	if (existing.walletId !== params.walletId) differences.push(`wallet ${existing.walletId} (asked ${params.walletId})`);
	if (params.currency && existing.currency && existing.currency !== params.currency) differences.push(`currency ${existing.currency} (asked ${params.currency})`);
	return differences.length ? differences.join(', ') : undefined;
}

/**
 * The payout with this reference, if Wistfare has one. Filtered on the client too; when the server
 * shows it ignores the filter, the look-up stops (the idempotency key still protects the payout).
 */
export async function findByReference(
	this: IExecuteFunctions,
	businessId: string,
	referenceId: string,
	options: RequestOptions,
): Promise<Disbursement | undefined> {
	for await (const page of disbursementPages.call(this, { businessId, referenceId, perPage: MAX_PAGE_SIZE }, options)) {
		const match = page.data.find((disbursement) => disbursement.referenceId === referenceId);
		if (match) return match;
		if (page.data.some((disbursement) => disbursement.referenceId !== referenceId)) {
			this.logger.warn('Wistfare ignored the referenceId filter: the duplicate guard relies on the idempotency key alone');
			return undefined;
		}
	}
	return undefined;
}

/** A failure after which the payout may or may not exist: no answer, or a 5xx. */
export function outcomeUnknown(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	const code = (error.context as { code?: string }).code;
	return code === 'network_error' || Number(error.httpCode) >= 500;
}

export function unknownOutcomeError(
	this: IExecuteFunctions,
	cause: NodeApiError,
	referenceId: string,
	itemIndex: number,
	lookup: string,
) {
	return new NodeOperationError(
		this.getNode(),
		`Outcome unknown for payout reference "${referenceId}" in item ${itemIndex}: Wistfare did not confirm it, and ${lookup}`,
		{
			itemIndex,
			description: `Last error: ${cause.message}. Running this item again with the same Reference ID is safe: it sends the same Idempotency-Key and checks the reference first, so it cannot pay twice.`,
		},
	);
}

const FINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'refunded']);

/** Polls Get until a final status or the timeout; never an error on timeout, the item says so. */
export async function waitForFinalStatus(
	this: IExecuteFunctions,
	disbursement: Disbursement,
	timeoutSeconds: number,
	pollIntervalSeconds: number,
	options: RequestOptions,
): Promise<Disbursement & { timedOut: boolean }> {
	const deadline = Date.now() + timeoutSeconds * 1000;
	let current = disbursement;
	while (!FINAL_STATUSES.has(current.status)) {
		const left = deadline - Date.now();
		if (left <= 0) return { ...current, timedOut: true };
		await sleep(Math.min(pollIntervalSeconds * 1000, left));
		current = await getDisbursement.call(this, current.id, options);
	}
	return { ...current, timedOut: false };
}
