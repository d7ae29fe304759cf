'use strict';
// A local Wistfare API: the contract in shared/wistfare-api.md, over real HTTP, Node built-ins only.
// This file is the server and its request pipeline; the API's routes are in routes.js, the faults it
// injects in faults.js, its rate limiters in limiter.js, its own /_sandbox/ routes in control.js.
const http = require('node:http');
const { Store, publicRecord } = require('./store');
const { WebhookSender } = require('./webhooks');
const { Limiter, rateLimitHeaders } = require('./limiter');
const { Wallets } = require('./wallets');
const { Faults, beforeWork, afterWork } = require('./faults');
const { ROUTES, MAX_PER_PAGE, answerRoute, initiatePayout, answerRecord, understand, routeOf } = require('./routes');
const { control, CONFIGURABLE } = require('./control');
const { send, readBody, delay, requestEntry } = require('./http');

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
			this.webhooks.statusChanged(publicRecord(record));
		};
		/** @type {Array<{at: number, method: string, path: string, route: string, query: Record<string,string>, headers: Record<string,string|undefined>, body: any, understood?: any, dialectRejected?: boolean, status?: number}>} */
		this.requests = [];
		this.faults = new Faults();
		/** Behaviours `POST /_sandbox/config` may change. */
		this.configurable = CONFIGURABLE;
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

	/** A fault on a route (`initiate`, `get`, `list`, or the raw `METHOD /path` form): see faults.js. */
	inject(route, fault) {
		this.faults.add(ROUTES[route] ?? route, fault);
	}

	clearFaults() {
		this.faults.clear();
	}

	/** Requests to the API (not /_sandbox/), of one route or all, less those refused for their spelling (`rejections`). */
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
		if (url.pathname.startsWith('/_sandbox/')) return control(this, req.method, url, body, res);

		const route = routeOf(req.method, url.pathname);
		const requestId = this.newRequestId();
		res.setHeader('x-request-id', requestId);
		const entry = requestEntry(req, url, body.parsed, this.store.now(), route);
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
		const fault = this.faults.take(route);
		const drop = () => req.socket.destroy();
		if (await beforeWork(fault, { drop, fail, delay })) return undefined;
		const retryAfter = this.overRateLimit(res);
		if (retryAfter !== undefined) {
			return fail(429, 'rate_limit', 'Too many requests', undefined, { 'retry-after': String(retryAfter) });
		}

		const key = req.headers['x-api-key'];
		if (typeof key !== 'string' || !this.apiKeys.has(key)) {
			return fail(401, 'authentication_error', 'Invalid or expired API key');
		}

		const understood = understand(this, route, entry, fail, body);
		if (!understood) return undefined;
		const outcome = this.route(req.method, url, understood, route);
		if (afterWork(fault, outcome, this.dialect, { drop, reply, fail })) return undefined;
		if (outcome.error) {
			const { status, code, message, details } = outcome.error;
			return fail(status, code, message, details);
		}
		return reply(outcome.status, outcome.body);
	}

	/** The answer to an API request; tests wrap it to watch or change what the server does. */
	route(method, url, understood, route) {
		return answerRoute(this, method, url, understood, route);
	}

	/** A payout request; tests replace it to answer in shapes the contract allows. */
	initiate(payload, idempotencyKey) {
		return initiatePayout(this, payload, idempotencyKey);
	}

	/** A record as this server answers it. */
	recordAnswer(record) {
		return answerRecord(this, record);
	}

	/** Counts the request with this server's limiter; sets the headers asked for. Returns a refusal's Retry-After (s). */
	overRateLimit(res) {
		if (!this.rateLimit) return undefined;
		const settings = { rate: this.rateLimit, kind: this.rateLimitKind, burst: this.rateLimitBurst || undefined, refill: this.rateLimitRefill || undefined };
		const key = JSON.stringify(settings);
		const limiter = this.limiterKey === key && this.limiter ? this.limiter : new Limiter(settings);
		[this.limiter, this.limiterKey] = [limiter, key];
		const now = this.store.now();
		const verdict = limiter.take(now);
		for (const [name, value] of Object.entries(rateLimitHeaders(verdict, now, this.rateLimitHeaders))) if (name !== 'retry-after') res.setHeader(name, value);
		return verdict.allowed ? undefined : verdict.retryAfter;
	}

	error(res, status, code, message, details, headers = {}, requestId = this.newRequestId()) {
		send(res, status, { error: { code, message, ...(details ? { details } : {}) }, request_id: requestId }, headers);
	}
}

module.exports = { Sandbox, MAX_PER_PAGE, CONFIGURABLE };
