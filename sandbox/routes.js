'use strict';
// The API's routes (shared/wistfare-api.md): what the sandbox answers once a request passed its faults,
// its rate limit, its key check and its dialect.
const crypto = require('node:crypto');
const { publicRecord } = require('./store');
const { validateInitiate, listFilters } = require('./validate');
const wire = require('./wire');

const MAX_PER_PAGE = 100;
const DEFAULT_PER_PAGE = 20;
const DOCUMENTED_STATUSES = ['pending', 'processing', 'completed', 'failed', 'refunded'];
const ROUTES = {
	initiate: 'POST /v1/disbursements',
	get: 'GET /v1/disbursements/:id',
	list: 'GET /v1/disbursements',
	wallet: 'GET /v1/wallets',
	fees: 'GET /v1/fees/:businessId',
};

/** @typedef {import('./server').Sandbox} Sandbox */

/**
 * The answer to an API request (`understood`: its values under camelCase names).
 * @param {Sandbox} sandbox
 */
function answerRoute(sandbox, method, url, understood, route) {
	if (understood.invalid) return { error: { status: 400, code: 'validation_error', message: 'Body is not valid JSON' } };
	if (route === ROUTES.initiate) return sandbox.initiate(understood.body ?? {}, understood.idempotencyKey);
	if (route === ROUTES.get) {
		const record = sandbox.store.get(decodeURIComponent(url.pathname.split('/').pop()));
		if (!record || sandbox.store.now() < record.createdAtMs + sandbox.getLagMs) {
			return { error: { status: 404, code: 'not_found', message: 'Disbursement not found' } };
		}
		return { status: 200, body: sandbox.recordAnswer(record) };
	}
	if (route === ROUTES.list) return listPayouts(sandbox, understood.query);
	if (route === ROUTES.wallet) return fundsAnswer(sandbox, sandbox.wallets.walletAnswer(understood.query.walletId));
	if (route === ROUTES.fees) return fundsAnswer(sandbox, sandbox.wallets.feesAnswer(decodeURIComponent(url.pathname.split('/').pop())));
	return { error: { status: 404, code: 'not_found', message: `No route ${method} ${url.pathname}` } };
}

/** @param {Sandbox} sandbox */
function initiatePayout(sandbox, payload, idempotencyKey) {
	const details = validateInitiate(payload);
	if (details) return { error: { status: 422, code: 'validation_error', message: 'Validation failed', details: wire.write(details, sandbox.dialect) } };
	if (sandbox.forbiddenBusinesses.has(payload.businessId)) {
		return { error: { status: 403, code: 'permission_error', message: 'This key may not act on that business' } };
	}
	if (idempotencyKey) {
		const hash = crypto.createHash('sha256').update(stableJson(payload)).digest('hex');
		const seen = sandbox.store.idempotency.get(idempotencyKey);
		if (seen && seen.hash !== hash) {
			return {
				error: {
					status: 422,
					code: 'validation_error',
					message: 'Idempotency-Key was already used with a different request body',
					details: { 'Idempotency-Key': ['was already used with a different request body'] },
				},
			};
		}
		if (seen) return { status: 200, body: initiateAnswer(sandbox, sandbox.store.get(seen.id)) };
		const refusal = sandbox.wallets.refusal(payload);
		if (refusal) return { error: refusal };
		const record = createRecord(sandbox, payload);
		sandbox.wallets.debit(record);
		sandbox.store.idempotency.set(idempotencyKey, { hash, id: record.id });
		sandbox.store.save();
		return { status: 201, body: initiateAnswer(sandbox, record) };
	}
	const refusal = sandbox.wallets.refusal(payload);
	if (refusal) return { error: refusal };
	const record = createRecord(sandbox, payload);
	sandbox.wallets.debit(record);
	return { status: 201, body: initiateAnswer(sandbox, record) };
}

/** @param {Sandbox} sandbox */
function createRecord(sandbox, payload) {
	const record = /** @type {ReturnType<import('./store').Store['create']> & { visibleAtMs?: number }} */ (sandbox.store.create(payload));
	if (sandbox.listLagMs) record.visibleAtMs = record.createdAtMs + sandbox.listLagMs;
	return record;
}

/**
 * The dialect a route speaks: the wallet and fee endpoints may speak their own.
 * @param {Sandbox} sandbox
 */
function dialectOf(sandbox, route) {
	return (route === ROUTES.wallet || route === ROUTES.fees) && sandbox.fundsDialect ? sandbox.fundsDialect : sandbox.dialect;
}

/**
 * An answer of the wallets module, in the dialect of the wallet and fee endpoints.
 * @param {Sandbox} sandbox
 */
function fundsAnswer(sandbox, outcome) {
	if (outcome.error) return outcome;
	const dialect = dialectOf(sandbox, ROUTES.wallet);
	const body = wire.write(outcome.body, dialect);
	if (Array.isArray(body.data)) body.data = body.data.map((item) => wire.write(item, dialect));
	return { status: outcome.status, body };
}

/** @param {Sandbox} sandbox */
function initiateAnswer(sandbox, record) {
	if (!sandbox.shortInitiateAnswer) return sandbox.recordAnswer(record);
	const short = { disbursementId: record.id, status: record.status, feeAmount: '0', netAmount: record.amount, estimatedArrival: null };
	return wire.write(short, sandbox.dialect);
}

/** @param {Sandbox} sandbox */
function listPayouts(sandbox, params) {
	const businessId = params.businessId;
	if (businessId && sandbox.forbiddenBusinesses.has(businessId)) {
		return { error: { status: 403, code: 'permission_error', message: 'This key may not act on that business' } };
	}
	const asked = Number(params.perPage ?? DEFAULT_PER_PAGE);
	const page = sandbox.ignorePage ? 1 : Number(params.page ?? 1);
	if (!Number.isInteger(asked) || asked < 1 || asked > MAX_PER_PAGE || !Number.isInteger(page) || page < 1) {
		const names = sandbox.dialect === 'snake' ? ['per_page', 'page'] : ['perPage', 'page'];
		return {
			error: {
				status: 422,
				code: 'validation_error',
				message: 'Validation failed',
				details: { [names[0]]: [`must be an integer from 1 to ${MAX_PER_PAGE}`], [names[1]]: ['must be a positive integer'] },
			},
		};
	}
	const perPage = Math.min(asked, sandbox.maxPerPage);
	const matches = listFilters(params, sandbox.ignoreFilters);
	const now = sandbox.store.now();
	const start = (page - 1) * perPage;
	const data = [];
	let total = 0;
	const listed = (record) => (record.visibleAtMs === undefined || record.visibleAtMs <= now) && matches(sandbox.store.refresh(record));
	if (sandbox.shuffleTies) {
		const shuffled = shuffleTies(sandbox.store.ordered.filter(listed));
		total = shuffled.length;
		for (const record of shuffled.slice(start, start + perPage)) data.push(sandbox.recordAnswer(record));
	} else {
		// One pass, no copies: this server answers 100,000-payout benchmarks too.
		for (const record of sandbox.store.ordered) {
			if (!listed(record)) continue;
			if (total >= start && total < start + perPage) data.push(sandbox.recordAnswer(record));
			total += 1;
		}
	}
	if (sandbox.thinEnvelope) return { status: 200, body: { data } };
	const hasMore = page * perPage < total;
	return { status: 200, body: { data, total, page, ...wire.write({ perPage, hasMore }, sandbox.dialect) } };
}

/**
 * A record as this server answers it: in its dialect, with the formats it echoes.
 * @param {Sandbox} sandbox
 */
function answerRecord(sandbox, record) {
	const visible = publicRecord(record);
	if (sandbox.echoFormats) {
		visible.amount = /\./.test(visible.amount) ? visible.amount : `${visible.amount}.00`;
		visible.destinationRef = visible.destinationRef.startsWith('+') ? visible.destinationRef.slice(1) : `+${visible.destinationRef}`;
		delete visible.currency;
	}
	return wire.write(visible, sandbox.dialect);
}

/**
 * The request in this server's dialect, under camelCase names; undefined when a strict server
 * refused it (already answered).
 * @param {Sandbox} sandbox
 */
function understand(sandbox, route, entry, fail, raw) {
	const dialect = dialectOf(sandbox, route);
	const body = entry.body && typeof entry.body === 'object' ? wire.readBody(entry.body, dialect) : { values: entry.body, unknown: [] };
	const query = wire.readQuery(entry.query, dialect);
	const isBody = route === ROUTES.initiate;
	const unknown = isBody ? body.unknown : query.unknown;
	entry.understood = isBody ? body.values : query.values;
	const strict = sandbox.strict === true || sandbox.strict === (isBody ? 'body' : 'query');
	// A strict server also refuses a status filter it does not know.
	const status = entry.understood?.status;
	if (strict && !isBody && status !== undefined && !DOCUMENTED_STATUSES.includes(status)) {
		entry.dialectRejected = false;
		fail(422, 'validation_error', 'Validation failed', { status: ['is not a known status'] });
		return undefined;
	}
	if (strict && unknown.length) {
		entry.dialectRejected = true;
		const details = Object.fromEntries(unknown.map((name) => [name, ['is not a known field']]));
		fail(422, 'validation_error', 'Unknown fields', details);
		return undefined;
	}
	const idempotencyKey = sandbox.ignoreIdempotencyKey ? undefined : raw.idempotencyKey;
	return { body: route === ROUTES.initiate ? body.values : undefined, query: query.values, invalid: raw.invalid, idempotencyKey };
}

/** Newest first still, but each run of equal createdAt in a random order. */
function shuffleTies(records) {
	const out = [];
	for (let i = 0; i < records.length; ) {
		let j = i;
		while (j < records.length && records[j].createdAtMs === records[i].createdAtMs) j++;
		const run = records.slice(i, j);
		for (let k = run.length - 1; k > 0; k--) {
			const r = Math.floor(Math.random() * (k + 1));
			[run[k], run[r]] = [run[r], run[k]];
		}
		out.push(...run);
		i = j;
	}
	return out;
}

function routeOf(method, pathname) {
	if (pathname === '/v1/disbursements') return `${method} /v1/disbursements`;
	if (/^\/v1\/disbursements\/[^/]+$/.test(pathname)) return `${method} /v1/disbursements/:id`;
	if (/^\/v1\/fees\/[^/]+$/.test(pathname)) return `${method} /v1/fees/:businessId`;
	return `${method} ${pathname}`;
}

function stableJson(value) {
	if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
	if (value && typeof value === 'object') {
		return `{${Object.keys(value)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value);
}

module.exports = { ROUTES, MAX_PER_PAGE, answerRoute, initiatePayout, answerRecord, createRecord, understand, routeOf };
