import type { IDataObject } from 'n8n-workflow';

import { formatMoney, isPlainDecimal, percentToFraction, timesRate, toMinor } from './money';

/** A fee configuration in the package's names (the vendor SDKs' `GET /v1/fees/{business_id}`). */
export interface FeeConfig {
	feeModel: string;
	/** As Wistfare wrote it, a plain decimal (its unit is read in `estimateFee`). */
	percentageRate: string;
	/** Minor units of `currency`, rounded up (the safe side). */
	flatAmount: number;
	minFee: number;
	/** 0: no maximum (the safe reading of "0"). */
	maxFee: number;
	currency: string;
	isActive: boolean;
}

/** A fee for one payout in minor units, with the reading of the configuration it rests on. */
export interface FeeEstimate {
	fee: number;
	reading: string;
}

const absent = (value: unknown) => value === undefined || value === null;

/** A fee configuration, or undefined when the answer is not one the package can read. */
export function readFeeConfig(answer: IDataObject): FeeConfig | undefined {
	const feeModel = typeof answer.feeModel === 'string' ? answer.feeModel : undefined;
	const currency = typeof answer.currency === 'string' ? answer.currency.toUpperCase() : undefined;
	if (!feeModel || !currency) return undefined;
	const rate = absent(answer.percentageRate) ? '0' : String(answer.percentageRate).trim();
	if (!isPlainDecimal(rate)) return undefined;
	const amounts = [answer.flatAmount, answer.minFee, answer.maxFee].map((value) => (absent(value) ? 0 : toMinor(value, currency, 'up')));
	if (amounts.some((value) => value === undefined)) return undefined;
	const [flatAmount, minFee, maxFee] = amounts as number[];
	return { feeModel, percentageRate: rate, flatAmount, minFee, maxFee, currency, isActive: answer.isActive !== false };
}


/**
 * The fee of a payout of `amount` (minor units), on the safe side of every plausible reading
 * (shared/wistfare-api.md: nothing says whether the rate is a percentage or a fraction, nor what
 * `mixed` means): a rate of 1 or less is read as a fraction ("0.015" is 1.5 %: the larger of the two
 * readings), a larger one as a percentage; `mixed` and unknown models as the percentage plus the flat
 * amount; a maximum of 0 as none. An inactive configuration is read as no fee. The percentage is
 * rounded up once, to a whole minor unit, from the exact product.
 */
export function estimateFee(config: FeeConfig, amount: number): FeeEstimate {
	if (!config.isActive) return { fee: 0, reading: 'inactive fee configuration: no fee' };
	const money = (minor: number) => formatMoney(minor, config.currency);
	// A comparison only (the fee itself is computed exactly): a rate a hair above 1 read as a fraction is the larger fee.
	const asFraction = Number(config.percentageRate) <= 1;
	const fraction = asFraction ? config.percentageRate : percentToFraction(config.percentageRate);
	const rateReading = `rate ${config.percentageRate} read as ${asFraction ? 'a fraction' : 'a percentage'}`;
	const percent = timesRate(amount, fraction);
	const flat = `flat ${money(config.flatAmount)}`;
	const known: Record<string, [number, string]> = {
		flat: [config.flatAmount, flat],
		percentage: [percent, rateReading],
		percentage_plus_flat: [percent + config.flatAmount, `${rateReading}, plus ${flat}`],
	};
	let [fee, reading] = known[config.feeModel] ?? [percent + config.flatAmount, `model "${config.feeModel}" read as ${rateReading}, plus ${flat}`];
	if (fee < config.minFee) [fee, reading] = [config.minFee, `${reading}; minimum ${money(config.minFee)}`];
	if (config.maxFee > 0 && fee > config.maxFee) [fee, reading] = [config.maxFee, `${reading}; maximum ${money(config.maxFee)}`];
	return { fee, reading };
}

