import { initiateOptions, initiateParameters } from '../../../../../helpers';

/** Initiate's parameters reading each row: amount, phone and reference from the row's JSON. */
export const rowsParameters = (options: Record<string, unknown> = {}) => ({
	...initiateParameters,
	amount: '={{ $json.amount }}',
	destinationRef: '={{ $json.phone }}',
	referenceId: '={{ $json.ref }}',
	...initiateOptions(options),
});

/** A batch of `count` rows, each its own phone and reference. */
export const rows = (count: number, prefix = 'payroll-2026-11') =>
	Array.from({ length: count }, (_, i) => ({ amount: String(100 + i), phone: `2507880${String(i).padStart(5, '0')}1`, ref: `${prefix}-${i}` }));
