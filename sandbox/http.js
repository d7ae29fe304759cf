'use strict';
// HTTP plumbing of the sandbox: answers, bodies, delays.

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

function delay(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A request as the sandbox keeps it for tests to read (`requests`, `requestsFor`).
 * @returns {{ at: number, method: string, path: string, route: string, query: Record<string, string>, headers: Record<string, string | undefined>, body: any, understood?: any, dialectRejected?: boolean, status?: number }}
 */
function requestEntry(req, url, body, at, route) {
	const header = (name) => /** @type {string | undefined} */ (req.headers[name]);
	return {
		at,
		method: req.method,
		path: url.pathname,
		route,
		query: Object.fromEntries(url.searchParams),
		headers: { 'x-api-key': header('x-api-key'), 'idempotency-key': header('idempotency-key'), 'content-type': header('content-type'), accept: header('accept') },
		body,
	};
}

module.exports = { send, readBody, delay, requestEntry };
