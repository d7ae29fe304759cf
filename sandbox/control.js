'use strict';
// The sandbox's own routes under /_sandbox/: what tests, the demo and the bench use to set it up and read it.
const { publicRecord } = require('./store');
const { deliveryBody } = require('./webhooks');
const { send } = require('./http');

/** Behaviours `POST /_sandbox/config` may change while the server runs. */
const CONFIGURABLE = ['latencyMs', 'rateLimit', 'rateLimitKind', 'rateLimitBurst', 'rateLimitRefill', 'rateLimitHeaders', 'dialect', 'strict', 'shortInitiateAnswer', 'ignoreIdempotencyKey', 'listLagMs', 'getLagMs', 'echoFormats', 'maxPerPage', 'thinEnvelope', 'shuffleTies', 'clockSkewMs', 'ignorePage', 'fundsDialect'];

/**
 * Answers a /_sandbox/ request.
 * @param {import('./server').Sandbox} sandbox
 */
function control(sandbox, method, url, body, res) {
	const parts = url.pathname.split('/').filter(Boolean); // ['_sandbox', ...]
	const payload = body.parsed ?? {};
	if (method === 'POST' && parts[1] === 'disbursements' && parts[3] === 'status') {
		const { status, ...extra } = payload;
		const record = sandbox.store.setStatus(decodeURIComponent(parts[2]), status, extra);
		return record ? send(res, 200, publicRecord(record)) : send(res, 404, { error: { code: 'not_found' } });
	}
	if (method === 'POST' && parts[1] === 'webhooks' && parts[2] === 'config') {
		sandbox.webhooks.configure(payload);
		return send(res, 204);
	}
	if (method === 'POST' && parts[1] === 'webhooks') {
		// A delivery now: for a payout (`id`, with `event` and `claim` to say something else than
		// the truth) or a raw `body` (forged); `repeat`, `atOnce`, `delayMs`, `url`, `query` as configured.
		const record = payload.id ? sandbox.store.get(payload.id) : undefined;
		if (payload.id && !record) return send(res, 404, { error: { code: 'not_found' } });
		const body = payload.body ?? deliveryBody(publicRecord(record), payload.event ?? `disbursement.${record.status}`, payload.dialect ?? sandbox.webhooks.dialect, payload.claim);
		return void sandbox.webhooks.send(body, payload).then((entries) => send(res, 200, { deliveries: entries }));
	}
	if (method === 'GET' && parts[1] === 'webhooks') return send(res, 200, { deliveries: sandbox.webhooks.log });
	if (method === 'POST' && parts[1] === 'funds') {
		sandbox.wallets.configure(payload);
		return send(res, 204);
	}
	if (method === 'GET' && parts[1] === 'funds') return send(res, 200, { wallets: [...sandbox.wallets.wallets.values()] });
	if (method === 'POST' && parts[1] === 'faults') {
		sandbox.inject(payload.route, payload.fault);
		return send(res, 204);
	}
	if (method === 'DELETE' && parts[1] === 'faults') {
		sandbox.clearFaults();
		return send(res, 204);
	}
	if (method === 'POST' && parts[1] === 'reset') {
		sandbox.store.reset();
		sandbox.wallets.reset();
		sandbox.webhooks.log = [];
		sandbox.limiter?.reset();
		sandbox.clearRequests();
		sandbox.clearFaults();
		return send(res, 204);
	}
	if (method === 'GET' && parts[1] === 'requests') return send(res, 200, { requests: sandbox.requests });
	if (method === 'DELETE' && parts[1] === 'requests') {
		sandbox.clearRequests();
		return send(res, 204);
	}
	if (method === 'GET' && parts[1] === 'stats') {
		const statuses = {};
		const routes = {};
		for (const request of sandbox.requests) {
			statuses[request.status] = (statuses[request.status] ?? 0) + 1;
			routes[request.route] = (routes[request.route] ?? 0) + 1;
		}
		return send(res, 200, { requests: sandbox.requests.length, statuses, routes, maxInFlight: sandbox.maxInFlight, payouts: sandbox.store.ordered.length });
	}
	if (method === 'POST' && parts[1] === 'config') {
		for (const name of CONFIGURABLE) if (payload[name] !== undefined) sandbox[name] = payload[name];
		if (payload.ignoreFilters !== undefined) sandbox.ignoreFilters = new Set(payload.ignoreFilters);
		return send(res, 204);
	}
	if (method === 'POST' && parts[1] === 'seed') {
		sandbox.store.seedHistory(payload.count, payload.inFlight, payload.businessId, payload.spacingMs, payload.endAgoMs);
		return send(res, 204);
	}
	return send(res, 404, { error: { code: 'not_found' } });
}

module.exports = { control, CONFIGURABLE };
