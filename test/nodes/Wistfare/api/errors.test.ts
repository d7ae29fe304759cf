import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { apiErrorFromResponse, asN8nError, describeTransportFailure, transportError } from '../../../../nodes/Wistfare/api/errors';

const node: INode = { id: 'n', name: 'Wistfare', type: 'n8n-nodes-wistfare.wistfare', typeVersion: 1, position: [0, 0], parameters: {} };

describe('what a failure becomes', () => {
	test('a Wistfare error answer: its code, message, field details and request id (from the body or the header)', () => {
		const error = apiErrorFromResponse(node, 422, { error: { code: 'validation_error', message: 'Invalid amount', details: { amount: ['must be a decimal string'] } }, request_id: 'req_1' }, {}, 3);
		expect(error.message).toBe('Wistfare: Invalid amount [validation_error]');
		expect(error.httpCode).toBe('422');
		expect(error.description).toContain('amount: must be a decimal string');
		expect(error.description).toContain('Request id: req_1');
		expect(error.context).toMatchObject({ code: 'validation_error', requestId: 'req_1', itemIndex: 3 });
		const fromHeader = apiErrorFromResponse(node, 503, 'not json', { 'x-request-id': 'req_2' });
		expect(fromHeader.message).toBe('Wistfare: HTTP 503 [http_503]');
		expect(fromHeader.context).toMatchObject({ requestId: 'req_2' });
	});

	test('no answer at all: what happened, in words, and what to check', () => {
		const error = transportError(node, Object.assign(new Error('x'), { cause: { code: 'ECONNREFUSED' } }), 'GET /v1/disbursements');
		expect(error.message).toBe('Wistfare did not answer GET /v1/disbursements: ECONNREFUSED');
		expect(error.context).toMatchObject({ code: 'network_error' });
		expect(describeTransportFailure(new Error('socket hang up'))).toBe('connection closed');
		expect(describeTransportFailure(new Error('timeout of 3000ms exceeded'))).toBe('timeout');
		expect(describeTransportFailure('?')).toBe('no response');
	});

	test('asN8nError keeps n8n errors as they are and wraps anything else for the node', () => {
		const api = apiErrorFromResponse(node, 500, {}, {});
		const operation = new NodeOperationError(node, 'bad');
		expect(asN8nError(node, api)).toBe(api);
		expect(asN8nError(node, operation)).toBe(operation);
		const wrapped = asN8nError(node, new Error('a bug'), 2);
		expect(wrapped).toBeInstanceOf(NodeOperationError);
		expect(wrapped.message).toBe('a bug');
		expect(wrapped).not.toBeInstanceOf(NodeApiError);
	});
});
