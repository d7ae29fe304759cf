import { ZERO_DECIMAL_CURRENCIES } from './currency';

/**
 * Money is kept exact: an amount is a whole number of its currency's minor unit (RWF has none, so 1
 * is 1 RWF; USD has cents, so 1 is 0.01 USD). Decimal strings come in (amounts, balances, fees from
 * Wistfare; limits from the credential) and go out; every sum, comparison and fee estimate in
 * between is on whole numbers, so 0.10 + 0.20 is exactly 0.30.
 */

/** ISO 4217 currencies with three digits in their minor unit. */
const THREE_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

/** How many digits a currency's minor unit has: 0 (RWF), 3 (KWD), or 2 (KES, USD and the rest). */
export function exponentOf(currency: string): number {
	if (ZERO_DECIMAL_CURRENCIES.has(currency)) return 0;
	return THREE_DECIMAL_CURRENCIES.has(currency) ? 3 : 2;
}

/** A plain decimal: digits, at most one point; no sign, exponent, spaces or grouping. */
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Whether `text` is a plain decimal (as above). */
export const isPlainDecimal = (text: string) => DECIMAL.test(text);

/**
 * A decimal string (or a number as JavaScript writes it) in minor units of `currency`. Digits past
 * the minor unit are refused (`exact`), or rounded `down` (a balance: the safe side) or `up` (a fee).
 * Undefined when the value is not a plain decimal or is past the exact range of a number.
 */
export function toMinor(value: unknown, currency: string, rounding: 'exact' | 'down' | 'up' = 'exact'): number | undefined {
	const text = typeof value === 'number' ? (Number.isFinite(value) && value >= 0 ? String(value) : '') : typeof value === 'string' ? value.trim() : '';
	const match = DECIMAL.exec(text);
	if (!match) return undefined;
	const exponent = exponentOf(currency);
	const fraction = match[2] ?? '';
	const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
	const dropped = /[1-9]/.test(fraction.slice(exponent));
	if (dropped && rounding === 'exact') return undefined;
	const minor = BigInt(match[1] + kept) + (dropped && rounding === 'up' ? 1n : 0n);
	return minor <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(minor) : undefined;
}

/** Minor units as the plain decimal Wistfare reads: "1000" (RWF), "0.30" (USD). */
export function toDecimal(minor: number, currency: string): string {
	const exponent = exponentOf(currency);
	if (exponent === 0) return String(minor);
	const digits = String(minor).padStart(exponent + 1, '0');
	return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Minor units as a person reads them, grouped: "100,000" (RWF), "1,000.50" (USD). */
export function formatMoney(minor: number, currency: string): string {
	const [whole, fraction] = toDecimal(minor, currency).split('.');
	const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/**
 * `minor × rate`, rounded up to a whole minor unit once, from the exact product: `rate` is a plain
 * decimal string read as a fraction ("0.011" is 1.1 %), so that 1.1 % of 1000.00 is exactly 11.00.
 */
export function timesRate(minor: number, rate: string): number {
	const match = DECIMAL.exec(rate.trim());
	if (!match) throw new Error(`"${rate}" is not a plain decimal`);
	const fraction = match[2] ?? '';
	const numerator = BigInt(minor) * BigInt(match[1] + fraction);
	const denominator = 10n ** BigInt(fraction.length);
	return Number((numerator + denominator - 1n) / denominator);
}

/** A plain decimal string divided by 100 (a percentage as a fraction), exactly: "1.5" → "0.015". */
export function percentToFraction(percent: string): string {
	const match = DECIMAL.exec(percent.trim());
	if (!match) throw new Error(`"${percent}" is not a plain decimal`);
	const digits = (match[1] + (match[2] ?? '')).replace(/^0+(?=\d)/, '');
	const decimals = (match[2] ?? '').length + 2;
	const padded = digits.padStart(decimals + 1, '0');
	return `${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`;
}
