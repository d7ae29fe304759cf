import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { MAX_PAGE_SIZE } from '../api/client';
import { CREDENTIAL_TYPE } from '../api/request';
import { disbursementPages } from '../api/pages';
import type { WistfareSession } from '../api/session';
import { DEFAULT_CURRENCY } from '../payout/currency';

/** How many pages of recent payouts the picker looks through: the newest 300. */
const SEARCH_PAGES = 3;

/**
 * "From List" for a payout: the business's recent payouts, newest first, those whose Reference ID
 * contains what was typed, shown as a person reads them (reference, amount, status).
 */
export async function searchDisbursements(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const typed = String(this.getCurrentNodeParameter('businessId') ?? '').trim();
	const fallback = typed ? '' : String((await this.getCredentials(CREDENTIAL_TYPE)).defaultBusinessId ?? '').trim();
	const businessId = typed || fallback;
	const wanted = (filter ?? '').trim().toLowerCase();
	const session: WistfareSession = {};
	const results: INodeListSearchResult['results'] = [];
	let pages = 0;
	for await (const page of disbursementPages.call(this, { businessId, perPage: MAX_PAGE_SIZE }, { session })) {
		for (const payout of page.data) {
			const reference = payout.referenceId ?? '';
			if (wanted && !reference.toLowerCase().includes(wanted) && !payout.id.toLowerCase().includes(wanted)) continue;
			results.push({
				name: `${reference || payout.id} · ${payout.amount} ${payout.currency ?? DEFAULT_CURRENCY} · ${payout.status}`,
				value: payout.id,
			});
		}
		if (++pages >= SEARCH_PAGES) break;
	}
	return { results };
}
