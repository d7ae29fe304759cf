import type { IDataObject } from 'n8n-workflow';

import { toDecimal, toMinor } from './money';

/**
 * Only an active wallet is assumed to pay out: the SDKs also name created, suspended, frozen and
 * closed, and no source says what those do.
 */
export const PAYING_STATE = 'active';

/** A wallet in the package's names. */
export interface Wallet extends IDataObject {
	id: string;
	/** The owner (the SDKs' `user_id`): for a business wallet, the business. */
	businessId: string | null;
	state: string;
	/** A decimal string in major units, as Wistfare sends it. */
	balance: string;
	currency: string;
	walletType: string | null;
	name: string | null;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/** The balance in minor units of its currency (past them rounded down: the safe side), or undefined when it is not a plain decimal. */
export function balanceOf(wallet: Pick<Wallet, 'balance' | 'currency'>): number | undefined {
	return toMinor(wallet.balance, wallet.currency, 'down');
}

/**
 * A wallet from an answer already in the package's names: the one object the SDKs read, or (a shape
 * the SDKs do not read) a list holding the wallet asked for. Undefined when the answer is not a
 * wallet the package can rely on: no id, another id, no state, or a balance that is not a decimal.
 */
export function readWallet(answer: IDataObject, walletId: string): Wallet | undefined {
	const candidates = Array.isArray(answer.data) ? (answer.data as IDataObject[]) : [answer];
	const raw = candidates.find((candidate) => candidate && candidate.id === walletId);
	if (!raw) return undefined;
	const state = text(raw.state);
	const balance = typeof raw.balance === 'number' ? String(raw.balance) : text(raw.balance);
	const currency = text(raw.currency);
	if (!state || balance === null || !currency) return undefined;
	const exact = toMinor(balance, currency.toUpperCase());
	const wallet: Wallet = {
		id: walletId,
		businessId: text(raw.userId ?? raw.businessId),
		state,
		// In the currency's own form ("100000" RWF, "12.50" USD) when it is exactly that.
		balance: exact === undefined ? balance : toDecimal(exact, currency.toUpperCase()),
		currency: currency.toUpperCase(),
		walletType: text(raw.walletType),
		name: text(raw.name),
	};
	return balanceOf(wallet) === undefined ? undefined : wallet;
}
