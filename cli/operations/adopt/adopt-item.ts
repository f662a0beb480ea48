/**
 * What adoption makes of one item written without Concord: the same item with an
 * envelope that claims no write. Every value keeps the legacy dot, which every version
 * has seen (design §2), so the first Concord write anywhere replaces it as a write
 * replaces what it read, a concurrent write from another region wins over it, and
 * counters and add-wins sets start from their values in the legacy slot. The state is
 * the core's own reading of an unversioned image (`readImage`), marked versioned:
 * adopting the same item in any region gives the same state.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, type AttributeMap } from '../../../shared/dynamodb/attribute-value';
import { encodeItem } from '../../../shared/item/encode';
import { readImage } from '../../../shared/item/state';
import type { RuleSet } from '../../../shared/rules/types';

/** An item's adoption: the image to write, or why there is none. */
export type Adoption = { readonly kind: 'adopt'; readonly image: AttributeMap } | { readonly kind: 'versioned' } | { readonly kind: 'refused'; readonly reason: string };

/**
 * The adoption of `image` by `region`.
 *
 * @example
 * const adoption = adoptionOf(legacyImage, rules, 'us-east-1', 'concord-prod');
 * if (adoption.kind === 'adopt') await store.put(adoption.image, key, stillUnversioned(rules.table, legacyValues));
 */
export function adoptionOf(image: AttributeMap, rules: RuleSet, region: string, table: string): Adoption {
  try {
    const { state } = readImage(image, rules.table);
    if (state.versioned) return { kind: 'versioned' };
    const wid = `adopt:${createHash('sha256').update(`${table}\n${canonicalJson(image)}`).digest('hex').slice(0, 24)}`;
    return { kind: 'adopt', image: encodeItem({ ...state, versioned: true, by: region, wid }, rules).image };
  } catch (error) {
    return { kind: 'refused', reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}
