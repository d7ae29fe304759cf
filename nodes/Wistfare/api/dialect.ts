import type { IDataObject } from 'n8n-workflow';

/**
 * The two ways Wistfare's sources spell the wire format: the vendor's docs page uses camelCase, the
 * vendor's SDKs snake_case. The package's own names (inputs and outputs) are always camelCase.
 */
export type Dialect = 'camel' | 'snake';

/** The credential's setting: `auto` learns the dialect from the server. */
export type DialectSetting = Dialect | 'auto';

/** Every name that differs between the dialects, camelCase → snake_case. Everything else is spelled alike. */
export const SNAKE_NAMES: Readonly<Record<string, string>> = {
	businessId: 'business_id',
	walletId: 'wallet_id',
	destinationType: 'destination_type',
	destinationRef: 'destination_ref',
	destinationName: 'destination_name',
	referenceId: 'reference_id',
	createdAt: 'created_at',
	updatedAt: 'updated_at',
	feeAmount: 'fee_amount',
	netAmount: 'net_amount',
	failureReason: 'failure_reason',
	estimatedArrival: 'estimated_arrival',
	fromDate: 'from_date',
	toDate: 'to_date',
	perPage: 'per_page',
	hasMore: 'has_more',
	// Wallets and fees (the vendor SDKs).
	userId: 'user_id',
	ownerId: 'owner_id',
	walletType: 'wallet_type',
	kycTier: 'kyc_tier',
	azampayLinked: 'azampay_linked',
	transactionType: 'transaction_type',
	feeModel: 'fee_model',
	percentageRate: 'percentage_rate',
	flatAmount: 'flat_amount',
	minFee: 'min_fee',
	maxFee: 'max_fee',
	isActive: 'is_active',
};

const CAMEL_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
	Object.entries(SNAKE_NAMES).map(([camel, snake]) => [snake, camel]),
);

/** The names the short Initiate answer (vendor Dart SDK) may give the payout's id. */
const ID_ALIASES = ['disbursement_id', 'disbursementId'];

/** The fields a person looks at first lead the output; the rest follow as the server sent them. */
const LEADING_FIELDS = ['status', 'referenceId', 'amount', 'currency', 'destinationRef', 'id'];

/**
 * Parameters for the wire. With the dialect not known yet, each differing name is sent in both
 * spellings: a lenient server reads the one it knows, a strict one names the others in a 400/422
 * (which created nothing) and the dialect is then known.
 */
/** The dialect a trigger kept in its static data (what the server showed), if it is one. */
export function keptDialect(value: unknown): Dialect | undefined {
	return value === 'camel' || value === 'snake' ? value : undefined;
}

export function toWire(params: IDataObject, dialect: Dialect | undefined): IDataObject {
	const wire: IDataObject = {};
	for (const [name, value] of Object.entries(params)) {
		if (value === undefined || value === '') continue;
		const snake = SNAKE_NAMES[name];
		if (!snake || dialect === 'camel') wire[name] = value;
		else if (dialect === 'snake') wire[snake] = value;
		else {
			wire[name] = value;
			wire[snake] = value;
		}
	}
	return wire;
}

/**
 * An object from the server in the package's names, whichever dialect it came in. A field we do not
 * know passes through under its own name; where both spellings came, the camelCase one wins.
 */
export function fromWire(raw: IDataObject): IDataObject {
	const renamed: IDataObject = {};
	for (const [name, value] of Object.entries(raw)) {
		const camel = CAMEL_NAMES[name];
		if (camel === undefined) renamed[name] = value;
		else if (!(camel in raw)) renamed[camel] = value;
	}
	if (renamed.id === undefined) {
		const alias = ID_ALIASES.find((name) => renamed[name] !== undefined);
		if (alias) {
			renamed.id = renamed[alias];
			delete renamed[alias];
		}
	}
	return inPackageOrder(renamed);
}

/** A payout's fields in the order the outputs show them: the leading ones first, the rest as they came. */
export function inPackageOrder(fields: IDataObject): IDataObject {
	const ordered: IDataObject = {};
	for (const name of LEADING_FIELDS) if (name in fields) ordered[name] = fields[name];
	return Object.assign(ordered, fields);
}

/**
 * What a 400/422 says about the dialect. A strict server refuses every name it does not know, so
 * the dialect is learned only when the answer names exactly one spelling, and (given `sent`, the
 * package's names of what went out) all the names of that spelling that were sent. A real
 * validation error naming a field or two never passes for a dialect answer.
 */
export function dialectFromRejection(details: unknown, sent?: string[]): Dialect | undefined {
	if (!details || typeof details !== 'object') return undefined;
	const fields = new Set(Object.keys(details));
	if (fields.size === 0) return undefined;
	const differing = (sent ?? []).filter((name) => name in SNAKE_NAMES);
	const all = (names: string[]) => names.every((name) => fields.has(name));
	if ([...fields].every((field) => field in SNAKE_NAMES) && all(differing)) return 'snake';
	if ([...fields].every((field) => field in CAMEL_NAMES) && all(differing.map((name) => SNAKE_NAMES[name]))) return 'camel';
	return undefined;
}
