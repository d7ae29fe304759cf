'use strict';
// What the sandbox checks in a request, the way a strict server would.

const REQUIRED = ['businessId', 'walletId', 'amount', 'destinationType', 'destinationRef'];

/** @returns {Record<string, string[]> | undefined} field → messages, or undefined when valid */
function validateInitiate(body) {
	/** @type {Record<string, string[]>} */
	const details = {};
	const add = (field, message) => (details[field] ??= []).push(message);
	for (const field of REQUIRED) {
		if (typeof body[field] !== 'string' || body[field].trim() === '') add(field, 'is required');
	}
	if (typeof body.amount === 'string' && body.amount !== '' && !/^\d+(\.\d{1,2})?$/.test(body.amount)) {
		add('amount', 'must be a decimal string');
	} else if (typeof body.amount === 'string' && Number(body.amount) <= 0) {
		add('amount', 'must be greater than 0');
	}
	if (typeof body.walletId === 'string' && body.walletId !== '' && !body.walletId.startsWith('wal_')) {
		add('walletId', 'is not a wallet of this business');
	}
	if (body.currency !== undefined && !/^[A-Z]{3}$/.test(String(body.currency))) {
		add('currency', 'must be an ISO 4217 code');
	}
	// The vendor SDKs' own tests send "+250781234567": a leading + is accepted.
	if (body.destinationType === 'mobile_money' && typeof body.destinationRef === 'string' && !/^\+?\d{9,15}$/.test(body.destinationRef)) {
		add('destinationRef', 'must be an MSISDN of 9 to 15 digits');
	}
	return Object.keys(details).length ? details : undefined;
}

/**
 * A predicate for the list filters the server knows (and was not told to ignore).
 * @param {Record<string, string>} params  the query under camelCase names
 */
function listFilters(params, ignored) {
	const get = (name) => (ignored.has(name) ? null : params[name] ?? null);
	const businessId = params.businessId;
	const status = get('status');
	const referenceId = get('referenceId');
	const walletId = get('walletId');
	const fromDate = get('fromDate');
	const toDate = get('toDate');
	const from = fromDate ? Date.parse(fromDate) : undefined;
	const to = toDate ? Date.parse(toDate) : undefined;
	return (record) =>
		(!businessId || record.businessId === businessId) &&
		(!status || record.status === status) &&
		(!referenceId || record.referenceId === referenceId) &&
		(!walletId || record.walletId === walletId) &&
		(from === undefined || record.createdAtMs >= from) &&
		(to === undefined || record.createdAtMs <= to);
}

module.exports = { validateInitiate, listFilters };
