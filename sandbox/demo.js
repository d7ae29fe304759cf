'use strict';
// What `npm start` and `npm run demo` give the demo business: a funded wallet and a fee
// configuration, so that a first Preview's funds check passes for the right reason.

/** @type {import('./wallets').WalletOptions} */
const DEMO_FUNDS = {
	wallets: { wal_demo: { businessId: 'biz_demo', balance: 1_000_000, currency: 'RWF', name: 'Demo payouts' } },
	fees: { biz_demo: { feeModel: 'percentage', percentageRate: '1.5', currency: 'RWF' } },
};

module.exports = { DEMO_FUNDS };
