import type { Disbursement, InitiateDisbursementParams } from './types';
import { DEFAULT_CURRENCY } from './currency';

/** A decimal string in one spelling: "5000", "5000.00", 5000 and "05000.0" are all "5000". */
export function canonicalAmount(value: unknown): string {
	const text = String(value ?? '').trim();
	const match = /^\+?0*(\d*)(?:\.(\d*?)0*)?$/.exec(text);
	if (!match) return text;
	const whole = match[1] || '0';
	return match[2] ? `${whole}.${match[2]}` : whole;
}

/** A destination in one spelling: a phone number without its leading "+". */
export function canonicalDestination(value: unknown): string {
	return String(value ?? '').trim().replace(/^\+/, '');
}

/** A missing currency is Wistfare's default. */
export function canonicalCurrency(value: unknown): string {
	return typeof value === 'string' && value.trim() ? value.trim().toUpperCase() : DEFAULT_CURRENCY;
}

/**
 * Why an existing payout is not the one asked for, or undefined when it is: values are compared as
 * equivalent, not as spelled. A field the server did not send is not held against it.
 */
export function mismatch(existing: Partial<Disbursement>, params: InitiateDisbursementParams): string | undefined {
	const differences: string[] = [];
	if (existing.amount !== undefined && canonicalAmount(existing.amount) !== canonicalAmount(params.amount)) {
		differences.push(`Amount ${existing.amount} (asked ${params.amount})`);
	}
	if (existing.destinationRef !== undefined && canonicalDestination(existing.destinationRef) !== canonicalDestination(params.destinationRef)) {
		differences.push(`Destination Ref ${existing.destinationRef} (asked ${params.destinationRef})`);
	}
	if (existing.walletId !== undefined && existing.walletId !== params.walletId) {
		differences.push(`Wallet ID ${existing.walletId} (asked ${params.walletId})`);
	}
	if (canonicalCurrency(existing.currency) !== canonicalCurrency(params.currency)) {
		differences.push(`Currency ${existing.currency ?? DEFAULT_CURRENCY} (asked ${canonicalCurrency(params.currency)})`);
	}
	return differences.length ? differences.join(', ') : undefined;
}
