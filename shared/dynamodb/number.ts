/**
 * DynamoDB numbers, exactly. A DynamoDB number has up to 38 significant digits, far
 * beyond what a JavaScript number holds, so comparisons and whole-number arithmetic
 * work on the decimal string itself (never `Number()`).
 */

/** A decimal in normal form: sign, significant digits without leading or trailing zeros, and the power of ten of the last digit. */
interface Decimal {
  readonly negative: boolean;
  /** '' for zero. */
  readonly digits: string;
  readonly exponent: number;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** DynamoDB's limit on significant digits. */
export const MAX_SIGNIFICANT_DIGITS = 38;

function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL.exec(text);
  if (match === null) return undefined;
  const [, sign = '', whole = '', fraction = '', power = '0'] = match;
  if (whole === '' && fraction === '') return undefined;
  let digits = (whole + fraction).replace(/^0+/, '');
  let exponent = Number(power) - fraction.length;
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return { negative: sign === '-' && digits !== '', digits, exponent: digits === '' ? 0 : exponent };
}

/**
 * Compares two DynamoDB number strings by value, exactly.
 *
 * @throws RangeError when either is not a number string
 * @example
 * compareNumbers('99999999999999999999999999999999999998', '99999999999999999999999999999999999999'); // -1
 */
export function compareNumbers(a: string, b: string): -1 | 0 | 1 {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (x === undefined || y === undefined) throw new RangeError(`not a number: ${x === undefined ? a : b}`);
  if (x.negative !== y.negative) return x.negative ? -1 : 1;
  const magnitude = compareMagnitudes(x, y);
  return (x.negative ? -magnitude : magnitude) as -1 | 0 | 1;
}

function compareMagnitudes(x: Decimal, y: Decimal): -1 | 0 | 1 {
  if (x.digits === '' || y.digits === '') return x.digits === y.digits ? 0 : x.digits === '' ? -1 : 1;
  // The position of the leading digit decides, then the digits themselves.
  const leadX = x.digits.length + x.exponent;
  const leadY = y.digits.length + y.exponent;
  if (leadX !== leadY) return leadX < leadY ? -1 : 1;
  const width = Math.max(x.digits.length, y.digits.length);
  const left = x.digits.padEnd(width, '0');
  const right = y.digits.padEnd(width, '0');
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * The whole number a DynamoDB number string holds, or undefined when it is not whole
 * (or not a number).
 *
 * @example
 * wholeNumber('1.5E+1'); // 15n
 * wholeNumber('1.5');    // undefined
 */
export function wholeNumber(text: string): bigint | undefined {
  const decimal = parseDecimal(text);
  if (decimal === undefined || decimal.exponent < 0) return undefined;
  if (decimal.digits === '') return 0n;
  const magnitude = BigInt(decimal.digits + '0'.repeat(decimal.exponent));
  return decimal.negative ? -magnitude : magnitude;
}

/** True when a whole number fits DynamoDB's 38 significant digits. */
export function fitsDynamoNumber(value: bigint): boolean {
  const magnitude = value < 0n ? -value : value;
  return magnitude.toString().replace(/0+$/, '').length <= MAX_SIGNIFICANT_DIGITS;
}
