'use strict';
// A local Wistfare API: the contract in shared/wistfare-api.md, over real HTTP, Node built-ins only.
const http = require('node:http');
const crypto = require('node:crypto');
const { Store, present } = require('./store');
const { WebhookSender, deliveryBody } = require('./webhooks');
const { Limiter } = require('./limiter');
const { Wallets } = require('./wallets');
const { validateInitiate, listFilters } = require('./validate');
const wire = require('./wire');

const MAX_PER_PAGE = 100;
const DEFAULT_PER_PAGE = 20;
const DOCUMENTED_STATUSES = ['pending', 'processing', 'completed', 'failed', 'refunded'];
/** Behaviours `POST /_sandbox/config` may change while the server runs. */
const CONFIGURABLE = ['latencyMs', 'rateLimit', 'rateLimitKind', 'rateLimitBurst', 'rateLimitRefill', 'rateLimitHeaders', 'dialect', 'strict', 'shortInitiateAnswer', 'ignoreIdempotencyKey', 'listLagMs', 'getLagMs', 'echoFormats', 'maxPerPage', 'thinEnvelope', 'shuffleTies', 'clockSkewMs', 'ignorePage', 'fundsDialect'];
const ROUTES = {
	initiate: 'POST /v1/disbursements',
	get: 'GET /v1/disbursements/:id',
	list: 'GET /v1/disbursements',
	wallet: 'GET /v1/wallets',
	fees: 'GET /v1/fees/:businessId',
};

class Sandbox {
	/**
	 * @param {object} [options]
	 * @param {string[]} [options.apiKeys] keys accepted (test keys: `wf_test_…`)
	 * @param {string[]} [options.forbiddenBusinesses] businesses every key gets 403 for
	 * @param {number} [options.rateLimit] requests per second before 429 (0 = none); a 429 carries
	 *   `Retry-After` in whole seconds (at least 1)
	 * @param {'fixed'|'sliding'|'bucket'} [options.rateLimitKind] how the limit is counted: windows of
	 *   whole seconds (default), a sliding 1 s window, or a token bucket (see limiter.js)
	 * @param {number} [options.rateLimitBurst] token bucket: its size (default: the rate)
	 * @param {number} [options.rateLimitRefill] token bucket: tokens added a second (default: the rate)
	 * @param {false|'x'|'ietf'} [options.rateLimitHeaders] also tell the window on every answer:
	 *   'x' as `X-RateLimit-Limit/-Remaining/-Reset` (epoch seconds, as GitHub), 'ietf' as the IETF
	 *   draft's `RateLimit: "default";r=…;t=…` and `RateLimit-Policy`; default: neither (the
	 *   contract documents only Retry-After)
	 * @param {number} [options.latencyMs] latency added to every API request
	 * @param {'camel'|'snake'} [options.dialect] the field names it reads and answers with (default camel,
	 *   as the vendor's docs page; snake as the vendor's SDKs)
	 * @param {'camel'|'snake'} [options.fundsDialect] the wallet and fee endpoints speak this dialect
	 *   instead (a server whose payouts follow the vendor page and whose wallets follow the SDKs)
	 * @param {boolean|'body'|'query'} [options.strict] refuse unknown body fields and query parameters
	 *   with a 422 naming each (default: ignore them); 'body' or 'query': only those
	 * @param {boolean} [options.shortInitiateAnswer] answer a payout request with only the id, status
	 *   and fees, as the vendor's Dart SDK reads it
	 * @param {boolean} [options.ignoreIdempotencyKey] two POSTs make two payouts, key or not
	 * @param {number} [options.listLagMs] a new payout shows in the list only this long after creation
	 * @param {number} [options.getLagMs] a new payout answers 404 on Get for this long after creation
	 * @param {boolean} [options.echoFormats] answer amounts as "5000.00", phones with the "+" toggled,
	 *   no currency
	 * @param {number} [options.maxPerPage] serve at most this many payouts a page, whatever was asked
	 * @param {boolean} [options.thinEnvelope] list answers carry only `data` (no total, page, hasMore)
	 * @param {boolean} [options.ignorePage] answer the first page whatever `page` asks (with
	 *   `hasMore: true` while there is more than a page, or only `data` with thinEnvelope)
	 * @param {boolean} [options.shuffleTies] payouts sharing one createdAt come in a new order on each request
	 * @param {number} [options.clockSkewMs] the server's clock runs this far ahead of (or behind) ours
	 * @param {string[]} [options.ignoreFilters] list filters this server pretends not to know
	 * @param {number} [options.processingAfterMs]
	 * @param {number} [options.finalAfterMs]
	 * @param {boolean} [options.autoAdvance] move payouts through their lifecycle by time
	 * @param {{ url?: string, repeat?: number, atOnce?: boolean, delayMs?: number, dialect?: 'snake'|'camel', sleep?: (ms: number) => Promise<void> }} [options.webhooks]
	 *   deliver `disbursement.completed`/`.failed` to a URL on each status change (see webhooks.js)
	 * @param {import('./wallets').WalletOptions} [options.funds] wallets with balances and states, fee
	 *   configurations by business, endpoints to hide (404) or answer in a shape the node does not know
	 * @param {string} [options.file] JSON file to keep the data in
	 * @param {() => number} [options.now]
	 */
	constructor(options = {}) {
		this.apiKeys = new Set(options.apiKeys ?? ['wf_test_sandbox_key']);
		this.forbiddenBusinesses = new Set(options.forbiddenBusinesses ?? ['biz_forbidden']);
		this.rateLimit = options.rateLimit ?? 0;
		this.rateLimitHeaders = options.rateLimitHeaders ?? false;
		/** @type {import('./limiter').LimiterKind} */
		this.rateLimitKind = options.rateLimitKind ?? 'fixed';
		this.rateLimitBurst = options.rateLimitBurst ?? 0;
		this.rateLimitRefill = options.rateLimitRefill ?? 0;
		/** @type {Limiter | undefined} made on first use, again when the settings change */
		this.limiter = undefined;
		/** @type {string | undefined} */
		this.limiterKey = undefined;
		/** Added to every API request, to behave like a remote server. */
		this.latencyMs = options.latencyMs ?? 0;
		this.inFlight = 0;
		this.maxInFlight = 0;
		this.dialect = options.dialect ?? 'camel';
		/** @type {'camel'|'snake'|undefined} */
		this.fundsDialect = options.fundsDialect;
		this.strict = options.strict ?? false;
		this.shortInitiateAnswer = options.shortInitiateAnswer ?? false;
		this.ignoreIdempotencyKey = options.ignoreIdempotencyKey ?? false;
		this.listLagMs = options.listLagMs ?? 0;
		this.getLagMs = options.getLagMs ?? 0;
		this.echoFormats = options.echoFormats ?? false;
		this.maxPerPage = options.maxPerPage ?? MAX_PER_PAGE;
		this.thinEnvelope = options.thinEnvelope ?? false;
		this.ignorePage = options.ignorePage ?? false;
		this.ignoreFilters = new Set(options.ignoreFilters ?? []);
		this.shuffleTies = options.shuffleTies ?? false;
		this.clockSkewMs = options.clockSkewMs ?? 0;
		const ourNow = options.now ?? (() => Date.now());
		// The server's timestamps come from its own clock, which may be off ours.
		this.store = new Store({ ...options, now: () => ourNow() + this.clockSkewMs });
		this.webhooks = new WebhookSender(options.webhooks);
		/** Wallets and fee configurations (`funds` option): none by default, so nothing is checked. */
		this.wallets = new Wallets(options.funds);
		this.store.onStatusChange = (record) => {
			this.wallets.statusChanged(record);
			this.webhooks.statusChanged(present(record));
		};
		/** @type {Array<{at: number, method: string, path: string, route: string, query: Record<string,string>, headers: Record<string,string|undefined>, body: any, understood?: any, dialectRejected?: boolean, status?: number}>} */
		this.requests = [];
		/** @type {Map<string, Array<{ type: string, times: number, [k: string]: any }>>} */
		this.faults = new Map();
		this.requestSeq = 0;
		this.server = http.createServer((req, res) => {
			this.handle(req, res).catch((error) => {
				if (!res.headersSent) this.error(res, 500, 'internal_error', String(error && error.message));
			});
		});
		this.sockets = new Set();
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	/** @returns {Promise<string>} the base URL */
	async start(port = 0, host = '127.0.0.1') {
		await new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, host, () => resolve(undefined));
		});
		const address = /** @type {import('node:net').AddressInfo} */ (this.server.address());
		this.url = `http://${host}:${address.port}`;
		return this.url;
	}

	async stop() {
		for (const socket of this.sockets) socket.destroy();
		await new Promise((resolve) => this.server.close(() => resolve(undefined)));
	}

	/**
	 * Fault injection on a route (`initiate`, `get`, `list`, or the raw `METHOD /path` form).
	 * Types: `latency` {ms}, `status` {status, retryAfter?}, `drop` (close before doing anything),
	 * `commitThenDrop` (do the work, then close the connection without answering), `commitThenStatus`
	 * {status, body?} (do the work, then answer that status, a 5xx after commit or a 409 "in progress",
	 * or that body in place of the real answer).
	 * `rewrite` {set?, unset?} (answer the real answer with these fields, in camelCase names, set or
	 * left out: a server answering another payout, or one without its business).
	 * `times` (default 1) is how many requests it hits; `skip` how many matching requests pass first.
	 */
	inject(route, fault) {
		const key = ROUTES[route] ?? route;
		const list = this.faults.get(key) ?? [];
		list.push({ times: 1, ...fault });
		this.faults.set(key, list);
	}

	clearFaults() {
		this.faults.clear();
	}

	takeFault(route) {
		const list = this.faults.get(route);
		if (!list || list.length === 0) return undefined;
		const fault = list[0];
		if (fault.skip > 0) {
			fault.skip -= 1;
			return undefined;
		}
		fault.times -= 1;
		if (fault.times <= 0) list.shift();
		return fault;
	}

	/**
	 * Requests to the API (not the control routes), optionally of one route, less those a strict
	 * server refused for their spelling (see `rejections`).
	 */
	requestsFor(route) {
		const key = ROUTES[route] ?? route;
		return this.requests.filter((request) => (!route || request.route === key) && !request.dialectRejected);
	}

	/** Requests refused for naming fields this server's dialect does not know. */
	get rejections() {
		return this.requests.filter((request) => request.dialectRejected);
	}

	clearRequests() {
		this.requests = [];
		this.maxInFlight = 0;
	}

	newRequestId() {
		this.requestSeq += 1;
		return `req_${this.requestSeq.toString().padStart(6, '0')}`;
	}

	async handle(req, res) {
		const url = new URL(req.url, 'http://sandbox');
		const body = await readBody(req);
		if (url.pathname.startsWith('/_sandbox/')) return this.control(req.method, url, body, res);

		const route = routeOf(req.method, url.pathname);
		const requestId = this.newRequestId();
		res.setHeader('x-request-id', requestId);
		const entry = {
			at: this.store.now(),
			method: req.method,
			path: url.pathname,
			route,
			query: Object.fromEntries(url.searchParams),
			headers: {
				'x-api-key': req.headers['x-api-key'],
				'idempotency-key': req.headers['idempotency-key'],
				'content-type': req.headers['content-type'],
				accept: req.headers.accept,
			},
			body: body.parsed,
		};
		this.requests.push(entry);
		const reply = (status, payload, headers = {}) => {
			entry.status = status;
			send(res, status, payload, headers);
		};
		const fail = (status, code, message, details, headers) => {
			entry.status = status;
			this.error(res, status, code, message, details, headers, requestId);
		};

		this.inFlight += 1;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		res.on('close', () => (this.inFlight -= 1));
		if (this.latencyMs) await delay(this.latencyMs);
		const fault = this.takeFault(route);
		if (fault?.type === 'latency') await delay(fault.ms);
		if (fault?.type === 'drop') return req.socket.destroy();
		if (fault?.type === 'status') {
			const headers = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
			const code = fault.status === 429 ? 'rate_limit' : 'internal_error';
			return fail(fault.status, code, `Injected ${fault.status}`, undefined, headers);
		}
		const retryAfter = this.overRateLimit(res);
		if (retryAfter !== undefined) {
			return fail(429, 'rate_limit', 'Too many requests', undefined, { 'retry-after': String(retryAfter) });
		}

		const key = req.headers['x-api-key'];
		if (typeof key !== 'string' || !this.apiKeys.has(key)) {
			return fail(401, 'authentication_error', 'Invalid or expired API key');
		}

		const understood = this.understand(route, entry, fail, body);
		if (!understood) return undefined;
		const outcome = this.route(req.method, url, understood, route);
		if (fault?.type === 'commitThenDrop') return req.socket.destroy();
		if (fault?.type === 'rewrite' && outcome.status < 300 && outcome.body && typeof outcome.body === 'object') {
			const body = { ...outcome.body, ...wire.write(fault.set ?? {}, this.dialect) };
			for (const name of fault.unset ?? []) delete body[this.dialect === 'snake' ? wire.snakeOf(name) : name];
			return reply(outcome.status, body);
		}
		if (fault?.type === 'commitThenStatus') {
			if (fault.body !== undefined) return reply(fault.status, fault.body);
			const code = fault.status === 409 ? 'conflict' : 'internal_error';
			return fail(fault.status, code, `Injected ${fault.status} after the work was done`);
		}
		if (outcome.error) {
			const { status, code, message, details } = outcome.error;
			return fail(status, code, message, details);
		}
		return reply(outcome.status, outcome.body);
	}

	/**
	 * The request in this server's dialect, under camelCase names; undefined when a strict server
	 * refused it (already answered).
	 */
	understand(route, entry, fail, raw) {
		const dialect = this.dialectOf(route);
		const body = entry.body && typeof entry.body === 'object' ? wire.readBody(entry.body, dialect) : { values: entry.body, unknown: [] };
		const query = wire.readQuery(entry.query, dialect);
		const isBody = route === ROUTES.initiate;
		const unknown = isBody ? body.unknown : query.unknown;
		entry.understood = isBody ? body.values : query.values;
		const strict = this.strict === true || this.strict === (isBody ? 'body' : 'query');
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
		const idempotencyKey = this.ignoreIdempotencyKey ? undefined : raw.idempotencyKey;
		return { body: route === ROUTES.initiate ? body.values : undefined, query: query.values, invalid: raw.invalid, idempotencyKey };
	}

	/** A record as this server answers it: in its dialect, with the formats it echoes. */
	present(record) {
		const visible = present(record);
		if (this.echoFormats) {
			visible.amount = /\./.test(visible.amount) ? visible.amount : `${visible.amount}.00`;
			visible.destinationRef = visible.destinationRef.startsWith('+') ? visible.destinationRef.slice(1) : `+${visible.destinationRef}`;
			delete visible.currency;
		}
		return wire.write(visible, this.dialect);
	}

	/**
	 * Counts the request with this server's limiter (`rateLimitKind`: fixed, sliding or bucket); sets
	 * the rate-limit headers asked for. Returns the refusal's Retry-After in seconds, or undefined.
	 */
	overRateLimit(res) {
		if (!this.rateLimit) return undefined;
		const settings = { rate: this.rateLimit, kind: this.rateLimitKind, burst: this.rateLimitBurst || undefined, refill: this.rateLimitRefill || undefined };
		const key = JSON.stringify(settings);
		const limiter = this.limiterKey === key && this.limiter ? this.limiter : new Limiter(settings);
		[this.limiter, this.limiterKey] = [limiter, key];
		const now = this.store.now();
		const verdict = limiter.take(now);
		if (this.rateLimitHeaders === 'x') {
			res.setHeader('x-ratelimit-limit', String(verdict.limit));
			res.setHeader('x-ratelimit-remaining', String(verdict.remaining));
			res.setHeader('x-ratelimit-reset', String(Math.ceil((now + verdict.resetMs) / 1000)));
		} else if (this.rateLimitHeaders === 'ietf') {
			res.setHeader('ratelimit-policy', `"default";q=${verdict.limit};w=1`);
			res.setHeader('ratelimit', `"default";r=${verdict.remaining};t=${Math.ceil(verdict.resetMs / 1000)}`);
		}
		return verdict.allowed ? undefined : verdict.retryAfter;
	}

	route(method, url, understood, route) {
		if (understood.invalid) return { error: { status: 400, code: 'validation_error', message: 'Body is not valid JSON' } };
		if (route === ROUTES.initiate) return this.initiate(understood.body ?? {}, understood.idempotencyKey);
		if (route === ROUTES.get) {
			const record = this.store.get(decodeURIComponent(url.pathname.split('/').pop()));
			if (!record || this.store.now() < record.createdAtMs + this.getLagMs) {
				return { error: { status: 404, code: 'not_found', message: 'Disbursement not found' } };
			}
			return { status: 200, body: this.present(record) };
		}
		if (route === ROUTES.list) return this.list(understood.query);
		if (route === ROUTES.wallet) return this.answer(this.wallets.walletAnswer(understood.query.walletId));
		if (route === ROUTES.fees) return this.answer(this.wallets.feesAnswer(decodeURIComponent(url.pathname.split('/').pop())));
		return { error: { status: 404, code: 'not_found', message: `No route ${method} ${url.pathname}` } };
	}

	initiate(payload, idempotencyKey) {
		const details = validateInitiate(payload);
		if (details) return { error: { status: 422, code: 'validation_error', message: 'Validation failed', details: wire.write(details, this.dialect) } };
		if (this.forbiddenBusinesses.has(payload.businessId)) {
			return { error: { status: 403, code: 'permission_error', message: 'This key may not act on that business' } };
		}
		if (idempotencyKey) {
			const hash = crypto.createHash('sha256').update(stableJson(payload)).digest('hex');
			const seen = this.store.idempotency.get(idempotencyKey);
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
			if (seen) return { status: 200, body: this.initiateAnswer(this.store.get(seen.id)) };
			const refusal = this.wallets.refusal(payload);
			if (refusal) return { error: refusal };
			const record = this.create(payload);
			this.wallets.debit(record);
			this.store.idempotency.set(idempotencyKey, { hash, id: record.id });
			this.store.save();
			return { status: 201, body: this.initiateAnswer(record) };
		}
		const refusal = this.wallets.refusal(payload);
		if (refusal) return { error: refusal };
		const record = this.create(payload);
		this.wallets.debit(record);
		return { status: 201, body: this.initiateAnswer(record) };
	}

	create(payload) {
		const record = /** @type {ReturnType<Store['create']> & { visibleAtMs?: number }} */ (this.store.create(payload));
		if (this.listLagMs) record.visibleAtMs = record.createdAtMs + this.listLagMs;
		return record;
	}

	/** The dialect a route speaks: the wallet and fee endpoints may speak their own. */
	dialectOf(route) {
		return (route === ROUTES.wallet || route === ROUTES.fees) && this.fundsDialect ? this.fundsDialect : this.dialect;
	}

	/** An answer of the wallets module, in the dialect of the wallet and fee endpoints. */
	answer(outcome) {
		if (outcome.error) return outcome;
		const dialect = this.dialectOf(ROUTES.wallet);
		const body = wire.write(outcome.body, dialect);
		if (Array.isArray(body.data)) body.data = body.data.map((item) => wire.write(item, dialect));
		return { status: outcome.status, body };
	}

	initiateAnswer(record) {
		if (!this.shortInitiateAnswer) return this.present(record);
		const short = { disbursementId: record.id, status: record.status, feeAmount: '0', netAmount: record.amount, estimatedArrival: null };
		return wire.write(short, this.dialect);
	}

	list(params) {
		const businessId = params.businessId;
		if (businessId && this.forbiddenBusinesses.has(businessId)) {
			return { error: { status: 403, code: 'permission_error', message: 'This key may not act on that business' } };
		}
		const asked = Number(params.perPage ?? DEFAULT_PER_PAGE);
		const page = this.ignorePage ? 1 : Number(params.page ?? 1);
		if (!Number.isInteger(asked) || asked < 1 || asked > MAX_PER_PAGE || !Number.isInteger(page) || page < 1) {
			const names = this.dialect === 'snake' ? ['per_page', 'page'] : ['perPage', 'page'];
			return {
				error: {
					status: 422,
					code: 'validation_error',
					message: 'Validation failed',
					details: { [names[0]]: [`must be an integer from 1 to ${MAX_PER_PAGE}`], [names[1]]: ['must be a positive integer'] },
				},
			};
		}
		const perPage = Math.min(asked, this.maxPerPage);
		const matches = listFilters(params, this.ignoreFilters);
		const now = this.store.now();
		const start = (page - 1) * perPage;
		const data = [];
		let total = 0;
		const listed = (record) => (record.visibleAtMs === undefined || record.visibleAtMs <= now) && matches(this.store.refresh(record));
		if (this.shuffleTies) {
			const shuffled = shuffleTies(this.store.ordered.filter(listed));
			total = shuffled.length;
			for (const record of shuffled.slice(start, start + perPage)) data.push(this.present(record));
		} else {
			// One pass, no copies: this server answers 100,000-payout benchmarks too.
			for (const record of this.store.ordered) {
				if (!listed(record)) continue;
				if (total >= start && total < start + perPage) data.push(this.present(record));
				total += 1;
			}
		}
		if (this.thinEnvelope) return { status: 200, body: { data } };
		const hasMore = page * perPage < total;
		return { status: 200, body: { data, total, page, ...wire.write({ perPage, hasMore }, this.dialect) } };
	}

	control(method, url, body, res) {
		const parts = url.pathname.split('/').filter(Boolean); // ['_sandbox', ...]
		const payload = body.parsed ?? {};
		if (method === 'POST' && parts[1] === 'disbursements' && parts[3] === 'status') {
			const { status, ...extra } = payload;
			const record = this.store.setStatus(decodeURIComponent(parts[2]), status, extra);
			return record ? send(res, 200, present(record)) : send(res, 404, { error: { code: 'not_found' } });
		}
		if (method === 'POST' && parts[1] === 'webhooks' && parts[2] === 'config') {
			this.webhooks.configure(payload);
			return send(res, 204);
		}
		if (method === 'POST' && parts[1] === 'webhooks') {
			// A delivery now: for a payout (`id`, with `event` and `claim` to say something else than
			// the truth) or a raw `body` (forged); `repeat`, `atOnce`, `delayMs`, `url`, `query` as configured.
			const record = payload.id ? this.store.get(payload.id) : undefined;
			if (payload.id && !record) return send(res, 404, { error: { code: 'not_found' } });
			const body = payload.body ?? deliveryBody(present(record), payload.event ?? `disbursement.${record.status}`, payload.dialect ?? this.webhooks.dialect, payload.claim);
			return void this.webhooks.send(body, payload).then((entries) => send(res, 200, { deliveries: entries }));
		}
		if (method === 'GET' && parts[1] === 'webhooks') return send(res, 200, { deliveries: this.webhooks.log });
		if (method === 'POST' && parts[1] === 'funds') {
			this.wallets.configure(payload);
			return send(res, 204);
		}
		if (method === 'GET' && parts[1] === 'funds') return send(res, 200, { wallets: [...this.wallets.wallets.values()] });
		if (method === 'POST' && parts[1] === 'faults') {
			this.inject(payload.route, payload.fault);
			return send(res, 204);
		}
		if (method === 'DELETE' && parts[1] === 'faults') {
			this.clearFaults();
			return send(res, 204);
		}
		if (method === 'POST' && parts[1] === 'reset') {
			this.store.reset();
			this.wallets.reset();
			this.webhooks.log = [];
			this.limiter?.reset();
			this.clearRequests();
			this.clearFaults();
			return send(res, 204);
		}
		if (method === 'GET' && parts[1] === 'requests') return send(res, 200, { requests: this.requests });
		if (method === 'DELETE' && parts[1] === 'requests') {
			this.clearRequests();
			return send(res, 204);
		}
		if (method === 'GET' && parts[1] === 'stats') {
			const statuses = {};
			const routes = {};
			for (const request of this.requests) {
				statuses[request.status] = (statuses[request.status] ?? 0) + 1;
				routes[request.route] = (routes[request.route] ?? 0) + 1;
			}
			return send(res, 200, { requests: this.requests.length, statuses, routes, maxInFlight: this.maxInFlight, payouts: this.store.ordered.length });
		}
		if (method === 'POST' && parts[1] === 'config') {
			for (const name of CONFIGURABLE) if (payload[name] !== undefined) this[name] = payload[name];
			if (payload.ignoreFilters !== undefined) this.ignoreFilters = new Set(payload.ignoreFilters);
			return send(res, 204);
		}
		if (method === 'POST' && parts[1] === 'seed') {
			this.store.seedHistory(payload.count, payload.inFlight, payload.businessId, payload.spacingMs, payload.endAgoMs);
			return send(res, 204);
		}
		return send(res, 404, { error: { code: 'not_found' } });
	}

	error(res, status, code, message, details, headers = {}, requestId = this.newRequestId()) {
		send(res, status, { error: { code, message, ...(details ? { details } : {}) }, request_id: requestId }, headers);
	}
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

function send(res, status, payload, headers = {}) {
	if (payload === undefined) {
		res.writeHead(status, headers);
		return res.end();
	}
	const text = JSON.stringify(payload);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

async function readBody(req) {
	const chunks = [];
	for await (const chunk of req) chunks.push(chunk);
	const text = Buffer.concat(chunks).toString('utf8');
	const idempotencyKey = req.headers['idempotency-key'];
	if (!text) return { parsed: undefined, idempotencyKey };
	try {
		return { parsed: JSON.parse(text), idempotencyKey };
	} catch {
		return { parsed: undefined, invalid: true, idempotencyKey };
	}
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

function delay(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = { Sandbox, MAX_PER_PAGE, CONFIGURABLE };
