import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_CURRENCY, ZERO_DECIMAL_CURRENCIES } from '../payout/currency';
import { isPlainDecimal } from '../payout/money';
import { rowName } from '../payout/row';

export { DEFAULT_CURRENCY };

/** A field's value is wrong: the message names the field and the problem, the router adds the item. */
export class InvalidField extends Error {
	constructor(
		readonly field: string,
		readonly problem: string,
	) {
		super(`${field} ${problem}`);
	}
}

/** `label`: the field as the panel shows it ("Destination Ref"), not its internal name. */
export function invalidInput(node: INode, error: InvalidField, itemIndex: number, label: string): NodeOperationError {
	return new NodeOperationError(node, `Invalid "${label}" in ${rowName(itemIndex)}: ${error.problem}`, {
		itemIndex,
		description: `Fix the value of "${label}" in ${rowName(itemIndex)}; no request was sent to Wistfare.`,
	});
}

export function requireText(field: string, value: unknown): string {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (text === '') throw new InvalidField(field, 'is empty: a value is required');
	return text;
}

export function normalizeCurrency(value: unknown): string {
	if (value === undefined || value === null || value === '') return DEFAULT_CURRENCY;
	const text = String(value).trim().toUpperCase();
	if (!/^[A-Z]{3}$/.test(text)) {
		throw new InvalidField('currency', `"${String(value)}" is not a 3-letter ISO 4217 code (e.g. RWF)`);
	}
	return text;
}

/** A positive decimal string in major units: no sign, exponent, spaces or grouping. */
export function normalizeAmount(value: unknown, currency: string): string {
	let text: string;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new InvalidField('amount', `${value} is not a number`);
		text = String(value);
	} else if (typeof value === 'string') {
		// Surrounding spaces are a copy-paste slip, as in the ID fields; inner ones are not.
		text = value.trim();
	} else {
		throw new InvalidField('amount', 'is empty: a value is required');
	}
	if (text === '') throw new InvalidField('amount', 'is empty: a value is required');
	if (!isPlainDecimal(text)) {
		throw new InvalidField(
			'amount',
			`"${text}" is not a plain positive decimal (digits and at most one ".", no sign, exponent, spaces or separators)`,
		);
	}
	if (!/[1-9]/.test(text)) throw new InvalidField('amount', `"${text}" must be greater than 0`);
	if (/^0\d/.test(text)) throw new InvalidField('amount', `"${text}" has a leading zero`);
	const decimals = text.includes('.') ? text.split('.')[1].length : 0;
	if (ZERO_DECIMAL_CURRENCIES.has(currency) && decimals > 0) {
		throw new InvalidField('amount', `"${text}" has decimals, but ${currency} has no minor unit: use a whole number`);
	}
	if (decimals > 2) throw new InvalidField('amount', `"${text}" has more than 2 decimals`);
	return text;
}

/** What people put in phone numbers that is not a digit: spaces, dashes, dots, parentheses. */
const PHONE_PUNCTUATION = /[\s\-.()\u00a0]/g;

/**
 * For mobile money an MSISDN in international form, 9 to 15 digits, as people type it: spaces,
 * dashes, dots and parentheses removed, a leading "+" or "00" taken off. A number in national form
 * (a leading 0, no country code) is refused with the fix, unless `defaultCountryCode` (e.g. "250")
 * is set: then its 0 becomes the code.
 */
export function normalizeDestinationRef(value: unknown, destinationType: string, defaultCountryCode = ''): string {
	const text = requireText('destinationRef', value);
	if (destinationType !== 'mobile_money') return text;
	const compact = text.replace(PHONE_PUNCTUATION, '');
	const international = compact.startsWith('+') ? compact.slice(1) : compact.startsWith('00') ? compact.slice(2) : undefined;
	let digits = international ?? compact;
	if (international === undefined && /^0[1-9]/.test(compact)) {
		if (!defaultCountryCode) {
			throw new InvalidField(
				'destinationRef',
				`"${text}" is a number without its country code: add it, e.g. 250${compact.slice(1)} for Rwanda, or set Default Country Code`,
			);
		}
		digits = defaultCountryCode + compact.slice(1);
	}
	if (!/^[1-9]\d{8,14}$/.test(digits)) {
		throw new InvalidField(
			'destinationRef',
			`"${text}" is not a mobile money number: use 9 to 15 digits in international form, e.g. 250788000000`,
		);
	}
	return digits;
}

/** An optional country calling code (1 to 3 digits, a leading "+" allowed), or "" when empty. */
export function normalizeCountryCode(value: unknown): string {
	const text = typeof value === 'string' ? value.trim().replace(/^\+/, '') : typeof value === 'number' ? String(value) : '';
	if (text !== '' && !/^[1-9]\d{0,2}$/.test(text)) throw new InvalidField('defaultCountryCode', `"${String(value)}" is not a country calling code (1 to 3 digits, e.g. 250)`);
	return text;
}
