import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { getWallet } from '../../api/client';
import type { WistfareSession } from '../../api/session';
import { PAYING_STATE, readWallet } from '../../payout/wallet';
import { CREDENTIAL_TYPE } from '../../api/request';
import { idOrDefault, walletIdField } from '../fields';
import { eachItem } from '../items';

const properties: INodeProperties[] = [walletIdField('The business wallet payouts are sent from')];

export const description = updateDisplayOptions({ show: { resource: ['wallet'], operation: ['get'] } }, properties);

/**
 * A wallet's balance, currency and state, in the package's names, with `paysOut` (only an active
 * wallet is assumed to). The endpoint is the vendor SDKs', not the docs page's: an answer that is
 * not a wallet is an error that says so, never a guess.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const session: WistfareSession = {};
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	return await eachItem.call(this, description, async (itemIndex) => {
		const walletId = idOrDefault('walletId', this.getNodeParameter('walletId', itemIndex), credentials);
		const answer = await getWallet.call(this, walletId, { itemIndex, session });
		const wallet = readWallet(answer, walletId);
		if (!wallet) {
			throw new NodeApiError(
				this.getNode(),
				{ code: 'invalid_answer' },
				{
					message: `Wistfare's answer for wallet "${walletId}" is not a wallet the node can read`,
					description: `Fields in the answer: ${Object.keys(answer).join(', ') || 'none'}. Expected the vendor SDKs' wallet: id, state, balance (a decimal), currency.`,
					itemIndex,
				},
			);
		}
		return [{ ...wallet, paysOut: wallet.state === PAYING_STATE }];
	});
}
