import {
	DOCUMENTED_AFTER_COMPLETED,
	DOCUMENTED_IN_FLIGHT,
	isDocumentedStatus,
	isFinal,
	isInFlight,
	STATUS_OPTIONS,
} from '../../../../nodes/Wistfare/payout/status';

test('the status sets, defined once', () => {
	expect(DOCUMENTED_IN_FLIGHT).toEqual(['pending', 'processing']);
	expect(DOCUMENTED_AFTER_COMPLETED).toEqual(['failed', 'refunded']);
	expect(['completed', 'failed', 'refunded'].every(isFinal)).toBe(true);
	// A status Wistfare does not document may still change: it counts as in flight, never as final.
	expect(isInFlight('under_review')).toBe(true);
	expect(isDocumentedStatus('under_review')).toBe(false);
	expect(STATUS_OPTIONS.map((option) => option.value)).toEqual(['completed', 'failed', 'pending', 'processing', 'refunded']);
});
