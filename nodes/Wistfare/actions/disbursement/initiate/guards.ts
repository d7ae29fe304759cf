import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DEFAULT_CURRENCY } from '../../../payout/currency';
import { formatMoney, isPlainDecimal, toMinor } from '../../../payout/money';
import type { InitiateDisbursementParams } from '../../../payout/types';
import { InvalidField, normalizeDestinationRef } from '../../validation';

/**
 * The credential's guards: what any workflow or AI agent using it may pay. Those checked here need
 * no request; the maximum total per day is read here and checked with the funds (it needs today's
 * payouts from Wistfare).
 */

/**
 * A credential field holding a positive amount, as a plain decimal (grouping commas and spaces, as
 * people type them, removed), or undefined when empty. It applies in each payout's own currency.
 */
function positiveSetting(credentials: ICredentialDataDecryptedObject, name: string, label: string, field: string): string | undefined {
	const raw = typeof credentials[name] === 'string' ? (credentials[name] as string).trim() : credentials[name];
	if (raw === undefined || raw === null || raw === '') return undefined;
	const text = String(raw).replace(/[,\s]/g, '');
	if (!isPlainDecimal(text) || !/[1-9]/.test(text)) {
		throw new InvalidField(field, `cannot be checked: the credential's ${label} "${String(raw)}" is not a positive number`);
	}
	return text;
}

/** A credential field holding a list, one entry per line or comma. */
const listSetting = (value: unknown): string[] =>
	String(value ?? '')
		.split(/[,\n]/)
		.map((entry) => entry.trim())
		.filter(Boolean);

/** The credential's Max Total Per Day (a decimal), or undefined when none is set. */
export function dailyLimitOf(credentials: ICredentialDataDecryptedObject): string | undefined {
	return positiveSetting(credentials, 'maxTotalPerDay', 'Max Total Per Day', 'amount');
}

/** The guards that need no request: cap per payout, allowed destination types, allowed destinations. */
export function checkPayoutGuard(credentials: ICredentialDataDecryptedObject, params: InitiateDisbursementParams) {
	const cap = positiveSetting(credentials, 'maxAmountPerPayout', 'Max Amount Per Payout', 'amount');
	const currency = params.currency ?? DEFAULT_CURRENCY;
	if (cap !== undefined && (toMinor(params.amount, currency) ?? Infinity) > (toMinor(cap, currency, 'down') ?? 0)) {
		throw new InvalidField('amount', `${params.amount} ${currency} is above this credential's Max Amount Per Payout (${formatMoney(toMinor(cap, currency, 'down') ?? 0, currency)} ${currency}): payout refused`);
	}
	dailyLimitOf(credentials);
	const types = listSetting(credentials.allowedDestinationTypes);
	if (types.length && !types.includes(params.destinationType)) {
		throw new InvalidField('destinationType', `"${params.destinationType}" is not allowed by this credential (allowed: ${types.join(', ')}): payout refused`);
	}
	const destinations = listSetting(credentials.allowedDestinations).map((entry) => normalizeEntry(entry, params.destinationType));
	if (destinations.length && !destinations.includes(params.destinationRef)) {
		throw new InvalidField(
			'destinationRef',
			`"${params.destinationRef}" is not in this credential's Allowed Destinations (${destinations.length} listed): payout refused`,
		);
	}
}

/** An allow-list entry spelled as Destination Ref is compared (a mobile number without its "+"). */
function normalizeEntry(entry: string, destinationType: string): string {
	try {
		return normalizeDestinationRef(entry, destinationType);
	} catch {
		return entry;
	}
}
