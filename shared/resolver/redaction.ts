/**
 * Redaction by path: the rules' `audit.redact` entries mask values wherever the
 * resolver lets data out of the table (audit events, quarantine messages). An entry is
 * a path: `contact.email` (member `email` of map `contact`), `addresses[].phone` (member
 * `phone` of every element of list `addresses`); a bare name (`email`) masks that name
 * at any depth, top-level attribute or map member, since that is what a reader of
 * `redact: ['email']` expects. A masked value becomes the string `[redacted]`.
 *
 * Masking works on the DynamoDB wire form only (`M` members and `L` elements), so it
 * also takes raw images that failed validation, and envelopes whose inner format it
 * does not know: an envelope keeps concurrent values and set elements under the
 * attribute's name, so every member so named, at any depth, is masked there whole.
 */
import { RuleValidationError } from '../errors';
import type { AttributeValue } from '../dynamodb/attribute-value';
import type { RuleSet } from '../rules/types';

/** What replaces the value of a redacted path. */
export const REDACTED = '[redacted]';

const MASK: AttributeValue = Object.freeze({ S: REDACTED });

/** One step of a path: a map member by name, or every element of a list. */
type Step = { readonly member: string } | { readonly each: true };

/** Where a walk stands on one path: the steps still to match. */
type Cursor = readonly Step[];

const SEGMENT = /^([^.[\]]+)((?:\[\])*)$/;

function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  for (const segment of path.split('.')) {
    const match = SEGMENT.exec(segment);
    if (match === null) throw new RuleValidationError('(audit)', undefined, `redact entry ${JSON.stringify(path)} is not a path such as email, contact.email or addresses[].phone`);
    steps.push({ member: match[1] as string });
    for (let lists = (match[2] as string).length / 2; lists > 0; lists -= 1) steps.push({ each: true });
  }
  return steps;
}

/** The masking of one rule set's `audit.redact`. */
export class Redactor {
  private static readonly compiled = new WeakMap<RuleSet, Redactor>();
  /** Names masked at any depth (bare entries). */
  private readonly anywhere = new Set<string>();
  /** Paths from the top level (entries with a `.` or `[]`). */
  private readonly paths: Cursor[] = [];
  /** Top-level attribute names that hold a redacted path, masked whole inside an envelope. */
  private readonly attributes = new Set<string>();

  /**
   * @throws RuleValidationError naming an entry that is not a path
   */
  constructor(entries: Iterable<string>) {
    for (const entry of entries) {
      const steps = parsePath(entry);
      const [first] = steps as [{ member: string }];
      this.attributes.add(first.member);
      if (steps.length === 1) this.anywhere.add(first.member);
      else this.paths.push(steps);
    }
  }

  /**
   * The redactor of a rule set, compiled once.
   *
   * @throws RuleValidationError naming a `redact` entry that is not a path
   * @example
   * Redactor.of(rules).image(newImage); // { contact: { M: { email: { S: '[redacted]' }, city: … } }, … }
   */
  static of(rules: RuleSet): Redactor {
    let redactor = Redactor.compiled.get(rules);
    if (redactor === undefined) {
      redactor = new Redactor(rules.audit.redact);
      Redactor.compiled.set(rules, redactor);
    }
    return redactor;
  }

  /** True when no value is ever masked. */
  get empty(): boolean {
    return this.attributes.size === 0;
  }

  /**
   * Top-level attribute `name`'s value with every redacted path in it masked (the same
   * object when nothing is).
   *
   * @example
   * redactor.value('contact', { M: { email: { S: 'a@b.c' } } }); // { M: { email: { S: '[redacted]' } } }
   */
  value(name: string, value: AttributeValue): AttributeValue {
    return this.empty ? value : (this.member(name, value, this.paths) as AttributeValue);
  }

  /** An image (validated or raw) with every redacted path masked (the same object when nothing is); anything but a map comes back as it is. */
  image<T>(image: T): T {
    return this.members(image, this.paths) as T;
  }

  /**
   * An envelope attribute's value (wire form, format unknown) with every member named
   * like an attribute holding a redacted path masked whole, at any depth.
   */
  envelope(value: AttributeValue): AttributeValue {
    if (this.empty) return value;
    return this.walkByName(value) as AttributeValue;
  }

  private members(map: unknown, cursors: readonly Cursor[]): unknown {
    if (this.empty || map === null || typeof map !== 'object' || Array.isArray(map)) return map;
    let copy: Record<string, unknown> | undefined;
    for (const name of Object.keys(map)) {
      const original = (map as Record<string, unknown>)[name];
      const masked = this.member(name, original, cursors);
      if (masked !== original) (copy ??= copyOf(map as Record<string, unknown>))[name] = masked;
    }
    return copy ?? map;
  }

  private member(name: string, value: unknown, cursors: readonly Cursor[]): unknown {
    if (this.anywhere.has(name)) return MASK;
    const next = cursors.length === 0 ? cursors : advance(cursors, (step) => 'member' in step && step.member === name);
    if (next === MASKED) return MASK;
    return this.inside(value, next);
  }

  /** Descends into an `M` or `L` value; scalars and sets come back as they are. */
  private inside(value: unknown, cursors: readonly Cursor[]): unknown {
    // Nothing left to match below: the common case for the values of an item.
    if (value === null || typeof value !== 'object' || (cursors.length === 0 && this.anywhere.size === 0)) return value;
    const wire = value as { M?: unknown; L?: unknown };
    if (wire.M !== undefined && wire.M !== null) {
      const members = this.members(wire.M, cursors);
      return members === wire.M ? value : { M: members };
    }
    if (!Array.isArray(wire.L)) return value;
    const next = advance(cursors, (step) => 'each' in step);
    if (next === MASKED) return { L: wire.L.map(() => MASK) };
    let changed = false;
    const elements = wire.L.map((element: unknown) => {
      const masked = this.inside(element, next);
      changed ||= masked !== element;
      return masked;
    });
    return changed ? { L: elements } : value;
  }

  private walkByName(value: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    const wire = value as { M?: unknown; L?: unknown };
    if (Array.isArray(wire.L)) {
      const elements = wire.L.map((element: unknown) => this.walkByName(element));
      return elements.every((element, index) => element === (wire.L as unknown[])[index]) ? value : { L: elements };
    }
    if (wire.M === null || typeof wire.M !== 'object') return value;
    const members = wire.M as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    for (const name in members) {
      const member = members[name];
      const masked = this.attributes.has(name) ? MASK : this.walkByName(member);
      if (masked !== member) (copy ??= copyOf(members))[name] = masked;
    }
    return copy === undefined ? value : { M: copy };
  }
}

const MASKED = Symbol('masked');

/** A copy without a prototype: its keys are attribute names, which may be `__proto__`. */
function copyOf(map: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, map);
}

/** The cursors that match `step`, one step further; MASKED when one of them is complete. */
function advance(cursors: readonly Cursor[], matches: (step: Step) => boolean): readonly Cursor[] | typeof MASKED {
  const next: Cursor[] = [];
  for (const cursor of cursors) {
    const [step, ...rest] = cursor;
    if (step === undefined || !matches(step)) continue;
    if (rest.length === 0) return MASKED;
    next.push(rest);
  }
  return next;
}
