/**
 * Money in offers: a decimal amount as a string (never a float) with an ISO 4217 currency. Prices are positive,
 * carry at most two decimals and are at most 1e12, which no catalogue offer reasonably exceeds.
 */

/** Active ISO 4217 currencies that circulate (funds, metals, SDR and test codes are not prices). */
export const ISO_4217_CURRENCIES: ReadonlySet<string> = new Set(
  (
    'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF ' +
    'CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD ' +
    'HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD ' +
    'LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK ' +
    'PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS ' +
    'TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG'
  ).split(' '),
);

export const MAX_PRICE = '1000000000000';

export type PriceProblem = 'NOT_A_DECIMAL' | 'TOO_MANY_DECIMALS' | 'NOT_POSITIVE' | 'TOO_LARGE';

export type PriceCheck = { ok: true; amount: string } | { ok: false; problem: PriceProblem };

const DECIMAL = /^(\d{1,16})(?:\.(\d+))?$/;

/** Checks a price given as a decimal string and returns it normalised (no leading zeros, two decimals). */
export function checkPrice(input: unknown, options: { allowZero?: boolean } = {}): PriceCheck {
  if (typeof input !== 'string') return { ok: false, problem: 'NOT_A_DECIMAL' };
  const match = DECIMAL.exec(input.trim());
  if (!match) return { ok: false, problem: /^-/.test(input.trim()) ? 'NOT_POSITIVE' : 'NOT_A_DECIMAL' };
  const [, whole = '0', fraction = ''] = match;
  if (fraction.length > 2) return { ok: false, problem: 'TOO_MANY_DECIMALS' };
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  if (cents === 0n && !options.allowZero) return { ok: false, problem: 'NOT_POSITIVE' };
  if (cents > BigInt(MAX_PRICE) * 100n) return { ok: false, problem: 'TOO_LARGE' };
  return { ok: true, amount: `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}` };
}

export function isIsoCurrency(code: unknown): code is string {
  return typeof code === 'string' && ISO_4217_CURRENCIES.has(code);
}

/** The national currency of each member country, the default currency for a delivery city's searches. */
export const NATIONAL_CURRENCY: Readonly<Record<string, string>> = {
  RU: 'RUB',
  KZ: 'KZT',
  BY: 'BYN',
  KG: 'KGS',
  AM: 'AMD',
  MD: 'MDL',
  TJ: 'TJS',
  UZ: 'UZS',
};
