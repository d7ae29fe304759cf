/** The currency Wistfare answers with when a payout names none (the vendor's docs page: RWF). */
export const DEFAULT_CURRENCY = 'RWF';

/** ISO 4217 currencies without a minor unit: an amount in them is a whole number. */
export const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set([
	'BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV',
	'XAF', 'XOF', 'XPF',
]);
