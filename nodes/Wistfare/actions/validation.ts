import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_CURRENCY, ZERO_DECIMAL_CURRENCIES } from '../payout/currency';

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
	return new NodeOperationError(node, `Invalid "${label}" in item ${itemIndex}: ${error.problem}`, {
		itemIndex,
		description: `Fix the value of "${label}" for item ${itemIndex}; no request was sent to Wistfare.`,
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
	if (!/^\d+(\.\d+)?$/.test(text)) {
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

/** For mobile money an MSISDN in international form: 9 to 15 digits, a leading "+" stripped. */
export function normalizeDestinationRef(value: unknown, destinationType: string): string {
	const text = requireText('destinationRef', value);
	if (destinationType !== 'mobile_money') return text;
	const digits = text.startsWith('+') ? text.slice(1) : text;
	if (!/^\d{9,15}$/.test(digits)) {
		throw new InvalidField(
			'destinationRef',
			`"${text}" is not a mobile money number: use 9 to 15 digits in international form, e.g. 250788000000`,
		);
	}
	return digits;
}
