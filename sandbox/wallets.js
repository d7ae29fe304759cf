'use strict';
// The sandbox's wallets and fee configurations (shared/wistfare-api.md, "Wallets and fees"): a
// payout is debited from its wallet with its fee when it is made, given back when it fails, and
// refused (422, nothing created) when the wallet cannot cover it. Wallets not configured are not
// checked, and `GET /v1/wallets` answers 404 for them, so every existing behaviour stays as it was.

/**
 * @typedef {{ businessId?: string, balance: number, currency?: string, state?: string, name?: string }} WalletSetting
 * @typedef {{ feeModel?: string, percentageRate?: string, flatAmount?: string, minFee?: string, maxFee?: string, currency?: string, isActive?: boolean }} FeeSetting
 * @typedef {{ wallets?: Record<string, WalletSetting>, fees?: Record<string, FeeSetting>, hide?: string[], shapes?: { wallets?: 'sdk' | 'list' | 'unknown', fees?: 'sdk' | 'unknown' }, feeTakenFromAmount?: boolean }} WalletOptions
 */

/** A decimal (string or number) in thousandths of a major unit, exactly for up to 3 decimals. */
const milli = (value) => Math.round(Number(value) * 1000);
/** The currency's smallest unit in thousandths: 1000 for RWF (none below the franc), 10 for cents. */
const unitOf = (currency) => (['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'].includes(currency) ? 1000 : 10);

class Wallets {
	/** @param {WalletOptions} [options] */
	constructor(options = {}) {
		/** @type {Map<string, WalletSetting & { id: string }>} */
		this.wallets = new Map();
		/** @type {Map<string, FeeSetting>} */
		this.fees = new Map();
		/** @type {Set<string>} */
		this.hidden = new Set();
		/** @type {{ wallets?: string, fees?: string }} */
		this.shapes = {};
		this.feeTakenFromAmount = false;
		this.configure(options);
	}

	/** @param {WalletOptions} options */
	configure(options) {
		for (const [id, wallet] of Object.entries(options.wallets ?? {})) this.wallets.set(id, { state: 'active', currency: 'RWF', ...wallet, id });
		for (const [businessId, fee] of Object.entries(options.fees ?? {})) this.fees.set(businessId, fee);
		if (options.hide) this.hidden = new Set(options.hide);
		if (options.shapes) this.shapes = { ...this.shapes, ...options.shapes };
		if (options.feeTakenFromAmount !== undefined) this.feeTakenFromAmount = options.feeTakenFromAmount;
	}

	reset() {
		this.wallets.clear();
		this.fees.clear();
		this.hidden.clear();
		this.shapes = {};
		this.feeTakenFromAmount = false;
	}

	/**
	 * This sandbox's reading of a fee configuration: the rate is a percentage ("1.5" is 1.5 %). Money
	 * is exact here too: thousandths of a major unit, the fee rounded up once to the currency's unit.
	 */
	feeFor(businessId, amountMilli, currency = 'RWF') {
		const fee = this.fees.get(businessId);
		if (!fee || fee.isActive === false) return 0;
		const [whole, fraction = ''] = String(fee.percentageRate ?? '0').trim().split('.');
		const percent = Number((BigInt(amountMilli) * BigInt(whole + fraction) + 10n ** BigInt(fraction.length) * 100n - 1n) / (10n ** BigInt(fraction.length) * 100n));
		const flat = milli(fee.flatAmount ?? 0);
		const model = fee.feeModel ?? 'percentage';
		let value = model === 'flat' ? flat : model === 'percentage' ? percent : percent + flat;
		value = Math.max(value, milli(fee.minFee ?? 0));
		if (milli(fee.maxFee ?? 0) > 0) value = Math.min(value, milli(fee.maxFee));
		const unit = unitOf(currency);
		return Math.ceil(value / unit) * unit;
	}

	/** What a payout would take from its wallet, in thousandths: the amount, and its fee on top unless the fee is taken from the amount. */
	debitOf(payload) {
		const amount = milli(payload.amount);
		const fee = this.feeFor(payload.businessId, amount, payload.currency ?? this.wallets.get(payload.walletId)?.currency);
		return { amount, fee, debit: this.feeTakenFromAmount ? amount : amount + fee };
	}

	/**
	 * Why a payout cannot be made from its wallet (nothing is created then), or undefined.
	 * @returns {{ status: number, code: string, message: string } | undefined}
	 */
	refusal(payload) {
		const wallet = this.wallets.get(payload.walletId);
		if (!wallet) return undefined;
		if (wallet.state !== 'active') return { status: 422, code: 'validation_error', message: `Wallet is ${wallet.state}` };
		const { debit } = this.debitOf(payload);
		if (milli(wallet.balance) < debit) return { status: 422, code: 'insufficient_funds', message: `Insufficient funds: balance ${wallet.balance}, needed ${debit / 1000}` };
		return undefined;
	}

	/** Debits a payout just made (and its fee) from its wallet, and records its fee. */
	debit(record) {
		const wallet = this.wallets.get(record.walletId);
		if (!wallet) return;
		const { amount, fee, debit } = this.debitOf(record);
		wallet.balance = (milli(wallet.balance) - debit) / 1000;
		record.feeAmount = String(fee / 1000);
		record.netAmount = String((this.feeTakenFromAmount ? amount - fee : amount) / 1000);
		record.debited = debit;
	}

	/** A failed payout's debit goes back to its wallet, once. */
	statusChanged(record) {
		const wallet = this.wallets.get(record.walletId);
		if (!wallet || record.status !== 'failed' || !record.debited || record.refunded) return;
		wallet.balance = (milli(wallet.balance) + record.debited) / 1000;
		record.refunded = true;
	}

	/** `GET /v1/wallets?wallet_id=…`: one wallet, in the shape asked of this sandbox. */
	walletAnswer(walletId) {
		const wallet = walletId ? this.wallets.get(walletId) : undefined;
		if (this.hidden.has('wallets') || !wallet) return { error: { status: 404, code: 'not_found', message: 'Wallet not found' } };
		const body = {
			id: wallet.id,
			userId: wallet.businessId ?? null,
			walletType: 'business',
			kycTier: 'tier_2',
			state: wallet.state,
			balance: wallet.balance.toFixed(2),
			currency: wallet.currency,
			azampayLinked: false,
			name: wallet.name ?? 'Payouts',
			createdAt: '2026-01-01T00:00:00.000Z',
		};
		if (this.shapes.wallets === 'list') return { status: 200, body: { data: [body] } };
		if (this.shapes.wallets === 'unknown') return { status: 200, body: { wallet: wallet.id, funds: wallet.balance } };
		return { status: 200, body };
	}

	/** `GET /v1/fees/{business_id}?transaction_type=disbursement`: one fee configuration. */
	feesAnswer(businessId) {
		const fee = this.fees.get(businessId);
		if (this.hidden.has('fees') || !fee) return { error: { status: 404, code: 'not_found', message: 'Fee configuration not found' } };
		if (this.shapes.fees === 'unknown') return { status: 200, body: { pricing: fee.percentageRate } };
		const body = {
			id: `fee_${businessId}`,
			businessId,
			transactionType: 'disbursement',
			feeModel: fee.feeModel ?? 'percentage',
			percentageRate: fee.percentageRate ?? '0',
			flatAmount: fee.flatAmount ?? '0',
			minFee: fee.minFee ?? '0',
			maxFee: fee.maxFee ?? '0',
			currency: fee.currency ?? 'RWF',
			isActive: fee.isActive ?? true,
			createdAt: '2026-01-01T00:00:00.000Z',
			updatedAt: '2026-01-01T00:00:00.000Z',
		};
		return { status: 200, body };
	}
}

module.exports = { Wallets };
