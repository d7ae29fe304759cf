import type { IDataObject } from 'n8n-workflow';

/** A fee configuration in the package's names (the vendor SDKs' `GET /v1/fees/{business_id}`). */
export interface FeeConfig {
	feeModel: string;
	percentageRate: number;
	flatAmount: number;
	minFee: number;
	/** 0: no maximum (the safe reading of "0"). */
	maxFee: number;
	currency: string;
	isActive: boolean;
}

/** A fee for one payout, with the reading of the configuration it rests on. */
export interface FeeEstimate {
	fee: number;
	reading: string;
}

const decimal = (value: unknown): number | undefined => {
	const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
	return Number.isFinite(number) ? number : undefined;
};

/** A fee configuration, or undefined when the answer is not one the package can read. */
export function readFeeConfig(answer: IDataObject): FeeConfig | undefined {
	const feeModel = typeof answer.feeModel === 'string' ? answer.feeModel : undefined;
	const currency = typeof answer.currency === 'string' ? answer.currency.toUpperCase() : undefined;
	const numbers = [answer.percentageRate, answer.flatAmount, answer.minFee, answer.maxFee].map((value) => (value === undefined || value === null ? 0 : decimal(value)));
	if (!feeModel || !currency || numbers.some((value) => value === undefined)) return undefined;
	const [percentageRate, flatAmount, minFee, maxFee] = numbers as number[];
	return { feeModel, percentageRate, flatAmount, minFee, maxFee, currency, isActive: answer.isActive !== false };
}

/**
 * The fee of a payout of `amount`, on the safe side of every plausible reading (shared/wistfare-api.md:
 * nothing says whether the rate is a percentage or a fraction, nor what `mixed` means): a rate of 1
 * or less is read as a fraction ("0.015" is 1.5 %: the larger of the two readings), a larger one as a
 * percentage; `mixed` and unknown models as the percentage plus the flat amount; a maximum of 0 as
 * none. An inactive configuration is read as no fee.
 */
export function estimateFee(config: FeeConfig, amount: number): FeeEstimate {
	if (!config.isActive) return { fee: 0, reading: 'inactive fee configuration: no fee' };
	const asFraction = config.percentageRate <= 1;
	const rate = asFraction ? config.percentageRate : config.percentageRate / 100;
	const rateReading = `rate ${config.percentageRate} read as ${asFraction ? 'a fraction' : 'a percentage'}`;
	const percent = amount * rate;
	const known: Record<string, [number, string]> = {
		flat: [config.flatAmount, `flat ${config.flatAmount}`],
		percentage: [percent, rateReading],
		percentage_plus_flat: [percent + config.flatAmount, `${rateReading}, plus flat ${config.flatAmount}`],
	};
	let [fee, reading] = known[config.feeModel] ?? [percent + config.flatAmount, `model "${config.feeModel}" read as ${rateReading}, plus flat ${config.flatAmount}`];
	if (fee < config.minFee) [fee, reading] = [config.minFee, `${reading}; minimum ${config.minFee}`];
	if (config.maxFee > 0 && fee > config.maxFee) [fee, reading] = [config.maxFee, `${reading}; maximum ${config.maxFee}`];
	return { fee: Math.ceil(fee * 100) / 100, reading };
}
