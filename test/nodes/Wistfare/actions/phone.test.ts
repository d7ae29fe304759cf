import fc from 'fast-check';

import { InvalidField, normalizeDestinationRef } from '../../../../nodes/Wistfare/actions/validation';

describe('mobile money numbers as people type them', () => {
	test.each([
		['250788123456', '250788123456'],
		['+250788123456', '250788123456'],
		['+250 788 123 456', '250788123456'],
		['+250-788-123-456', '250788123456'],
		['(+250) 788.123.456', '250788123456'],
		['00250788123456', '250788123456'],
		['250 788 123 456 ', '250788123456'],
	])('%s is sent as %s', (typed, sent) => {
		expect(normalizeDestinationRef(typed, 'mobile_money')).toBe(sent);
	});

	test('a national number (leading 0) is refused with the fix, or takes the Default Country Code', () => {
		expect(() => normalizeDestinationRef('0788123456', 'mobile_money')).toThrow('"0788123456" is a number without its country code: add it, e.g. 250788123456 for Rwanda, or set Default Country Code');
		expect(normalizeDestinationRef('0788 123 456', 'mobile_money', '250')).toBe('250788123456');
		expect(normalizeDestinationRef('+250788123456', 'mobile_money', '254')).toBe('250788123456');
	});

	test('other rails are sent as typed', () => {
		expect(normalizeDestinationRef(' IBAN 123 ', 'bank_transfer')).toBe('IBAN 123');
	});

	test('property: however a valid number is spaced and prefixed, the same digits are sent; a national form never passes without a code', () => {
		const digits = fc.stringMatching(/^[1-9]\d{8,14}$/);
		const separator = fc.constantFrom('', ' ', '-', '.', '  ');
		fc.assert(
			fc.property(digits, separator, fc.constantFrom('', '+', '00'), fc.integer({ min: 1, max: 4 }), (number, sep, prefix, group) => {
				const spaced = number.match(new RegExp(`.{1,${group}}`, 'g'))!.join(sep);
				expect(normalizeDestinationRef(`${prefix}${spaced}`, 'mobile_money')).toBe(number);
				if (number.length <= 14) expect(() => normalizeDestinationRef(`0${spaced}`, 'mobile_money')).toThrow(InvalidField);
			}),
		);
	});
});
