import { normalizePage, toDisbursement } from '../../../../nodes/Wistfare/api/client';

describe('normalizePage: the list envelope in either spelling, thin or whole', () => {
	test('the server\'s word on hasMore, total and page size wins', () => {
		expect(normalizePage({ data: [{ id: 'a' }], total: 3, page: 1, per_page: 1, has_more: true }, { businessId: 'b', perPage: 100 })).toMatchObject({ total: 3, perPage: 1, hasMore: true });
		expect(normalizePage({ data: [{ id: 'a' }], total: 1, page: 1, perPage: 100 }, { businessId: 'b', perPage: 100 })).toMatchObject({ hasMore: false });
	});

	test('a thin envelope never ends the listing early: only an empty page is the last', () => {
		expect(normalizePage({ data: [{ id: 'a' }] }, { businessId: 'b', perPage: 100 })).toMatchObject({ hasMore: true, perPage: 1, total: undefined });
		expect(normalizePage({ data: [] }, { businessId: 'b', perPage: 100 })).toMatchObject({ hasMore: false });
		expect(normalizePage({ data: [{ disbursement_id: 'x', business_id: 'b' }] }, { businessId: 'b' }).data[0]).toMatchObject({ id: 'x', businessId: 'b' });
	});
});

describe('toDisbursement: amounts in the currency\'s own form', () => {
	test('RWF without decimals, USD with cents; what is not exactly an amount passes as it came', () => {
		expect(toDisbursement({ id: 'a', amount: '5000.00', currency: 'RWF' })).toMatchObject({ amount: '5000' });
		expect(toDisbursement({ id: 'a', amount: '5000.00' })).toMatchObject({ amount: '5000' });
		expect(toDisbursement({ id: 'a', amount: 12.5, fee_amount: '0.2', currency: 'usd' })).toMatchObject({ amount: '12.50', feeAmount: '0.20' });
		expect(toDisbursement({ id: 'a', amount: '12.345', currency: 'USD' })).toMatchObject({ amount: '12.345' });
		expect(toDisbursement({ id: 'a', amount: 'n/a' })).toMatchObject({ amount: 'n/a' });
	});
});
