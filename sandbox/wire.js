'use strict';
// How the sandbox reads and writes the wire in each dialect. Written apart from the package's own
// table on purpose: the sandbox is a second reading of the contract, not the code under test.

const BODY_FIELDS = {
	camel: ['businessId', 'walletId', 'amount', 'destinationType', 'destinationRef', 'referenceId', 'description', 'currency', 'destinationName'],
	snake: ['business_id', 'wallet_id', 'amount', 'destination_type', 'destination_ref', 'reference_id', 'description', 'currency', 'destination_name'],
};
const QUERY_FIELDS = {
	camel: ['businessId', 'walletId', 'referenceId', 'status', 'fromDate', 'toDate', 'page', 'perPage', 'ownerId', 'transactionType'],
	snake: ['business_id', 'wallet_id', 'reference_id', 'status', 'from_date', 'to_date', 'page', 'per_page', 'owner_id', 'transaction_type'],
};

function snakeOf(name) {
	// Only camelCase identifiers have a snake_case spelling ("Idempotency-Key" stays as it is).
	if (!/^[a-z][a-zA-Z0-9]*$/.test(name)) return name;
	return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function camelOf(name) {
	return name.replace(/_([a-z])/g, (_, letter) => letter.toUpperCase());
}

/**
 * Reads a body or query in the server's dialect.
 * @returns {{ values: Record<string, any>, unknown: string[] }} values under camelCase names; the
 *   names this dialect does not know (a lenient server ignores them, a strict one refuses them)
 */
function read(input, fields, dialect) {
	const known = new Set(fields[dialect]);
	const values = {};
	const unknown = [];
	for (const [name, value] of Object.entries(input ?? {})) {
		if (known.has(name)) values[dialect === 'snake' ? camelOf(name) : name] = value;
		else unknown.push(name);
	}
	return { values, unknown };
}

const readBody = (body, dialect) => read(body, BODY_FIELDS, dialect);
const readQuery = (query, dialect) => read(query, QUERY_FIELDS, dialect);

/** An answer object in the server's dialect (records are kept in camelCase). */
function write(object, dialect) {
	if (dialect !== 'snake') return object;
	return Object.fromEntries(Object.entries(object).map(([name, value]) => [snakeOf(name), value]));
}

module.exports = { readBody, readQuery, write, snakeOf };
