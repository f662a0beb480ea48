/**
 * Epochs and dots (design §2). An actor `<region>~<tag>` is one epoch of a region's
 * writes to an item; a dot `<clock>.<actor>` names one write.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CLOCK_LENGTH, isClockAt, type Clock } from './hlc';

/** `<region>~<tag>`: one epoch of a region on an item. */
export type Actor = string;
/** `<clock>.<actor>`: one write. */
export type Dot = string;
/** Issues epoch tags; random by default, seeded in the lab and in tests. */
export type TagSource = () => string;

/** The dot of a value from before Concord: every version has seen it. */
export const LEGACY_DOT: Dot = '';
export const TAG_LENGTH = 8;
const TAG_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const REGION = /^[A-Za-z0-9_-]+$/;
const SEPARATOR = '~';

/** True when `region` can name a region in actors and envelope keys. */
export function isRegionName(region: unknown): region is string {
  return typeof region === 'string' && REGION.test(region);
}

/**
 * A random epoch tag: 8 characters of `[0-9A-Za-z]`, 47.6 bits.
 *
 * @example
 * randomTag(); // 'k3F9aZ2q'
 */
export const randomTag: TagSource = () => {
  let tag = '';
  while (tag.length < TAG_LENGTH) {
    for (const byte of randomBytes(TAG_LENGTH * 2)) {
      // 248 = 4 × 62: bytes above it are dropped so that every character is equally likely.
      if (byte < 248 && tag.length < TAG_LENGTH) tag += TAG_ALPHABET[byte % 62];
    }
  }
  return tag;
};

/** True when `tag` is an epoch tag. */
export function isTag(tag: string): boolean {
  if (tag.length !== TAG_LENGTH) return false;
  for (let i = 0; i < TAG_LENGTH; i += 1) {
    const code = tag.charCodeAt(i);
    if (!((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122))) return false;
  }
  return true;
}

/**
 * The actor of an epoch.
 *
 * @example
 * actorOf('eu-west-1', 'k3F9aZ2q'); // 'eu-west-1~k3F9aZ2q'
 */
export function actorOf(region: string, tag: string): Actor {
  return `${region}${SEPARATOR}${tag}`;
}

/** True when `value` is an actor. */
export function isActor(value: unknown): value is Actor {
  if (typeof value !== 'string') return false;
  const at = value.indexOf(SEPARATOR);
  return at > 0 && isRegionName(value.slice(0, at)) && isTag(value.slice(at + 1));
}

/** The region of an actor. */
export function actorRegion(actor: Actor): string {
  return actor.slice(0, actor.indexOf(SEPARATOR));
}

/**
 * The dot of a write.
 *
 * @example
 * dotOf('1732850000000.00003', 'eu-west-1~k3F9aZ2q'); // '1732850000000.00003.eu-west-1~k3F9aZ2q'
 */
export function dotOf(clock: Clock, actor: Actor): Dot {
  return `${clock}.${actor}`;
}

/** True when `value` is a dot. */
export function isDot(value: unknown): value is Dot {
  return typeof value === 'string' && value.length > CLOCK_LENGTH + 1 && value.charCodeAt(CLOCK_LENGTH) === 46 && isClockAt(value, 0) && isActor(value.slice(CLOCK_LENGTH + 1));
}

/** The clock of a dot. */
export function dotClock(dot: Dot): Clock {
  return dot.slice(0, CLOCK_LENGTH);
}

/** The actor of a dot. */
export function dotActor(dot: Dot): Actor {
  return dot.slice(CLOCK_LENGTH + 1);
}

/** The region of a dot. */
export function dotRegion(dot: Dot): string {
  return dot.slice(CLOCK_LENGTH + 1, dot.indexOf(SEPARATOR, CLOCK_LENGTH + 1));
}

/**
 * Orders dots as the `lww` rule does: by clock, then by actor (any fixed tie-break works;
 * two dots never share clock and actor).
 */
export function compareDots(a: Dot, b: Dot): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A tag source that repeats: the tags of a seed, in order. For the lab and tests, whose
 * runs a seed must reproduce.
 *
 * @example
 * const tags = seededTags('lab 7 us-east-1/0');
 * tags(); // the same first tag every run
 */
export function seededTags(seed: string): TagSource {
  let issued = 0;
  return () => seededTag(seed, (issued += 1));
}

/** The `n`th tag of a seed (see {@link seededTags}). */
export function seededTag(seed: string, n: number): string {
  const digest = createHash('sha256').update(`${seed}\n${n}`).digest();
  let tag = '';
  for (let i = 0; tag.length < TAG_LENGTH; i += 1) tag += TAG_ALPHABET[(digest[i] as number) % 62];
  return tag;
}
