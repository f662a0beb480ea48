/**
 * Expression attribute names and values: every name goes through a placeholder, so
 * reserved words, dots in names, region names and set elements are all safe in a path.
 */
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';

/** The placeholder maps an expression needs, ready to spread into a command input. */
export interface ExpressionAttributes {
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, SdkAttributeValue>;
}

/**
 * Hands out placeholders: `#0`, `#1`… for names (one per distinct name) and `:0`,
 * `:1`… for values.
 *
 * @example
 * const expression = new ExpressionBuilder();
 * const condition = `${expression.path('_cc', 'hlc')} < ${expression.value({ S: clock })}`; // '#0.#1 < :0'
 */
export class ExpressionBuilder {
  private readonly names: Record<string, string> = {};
  private readonly placeholders = new Map<string, string>();
  private readonly values: Record<string, SdkAttributeValue> = {};
  private valueCount = 0;

  /** A document path whose every element is a placeholder. */
  path(...names: readonly string[]): string {
    return names.map((name) => this.name(name)).join('.');
  }

  /** A placeholder for a value. */
  value(value: SdkAttributeValue): string {
    const placeholder = `:${(this.valueCount++).toString(36)}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  /** The maps to send with the expressions built so far. */
  attributes(): ExpressionAttributes {
    return this.valueCount === 0 ? { ExpressionAttributeNames: this.names } : { ExpressionAttributeNames: this.names, ExpressionAttributeValues: this.values };
  }

  private name(name: string): string {
    let placeholder = this.placeholders.get(name);
    if (placeholder === undefined) {
      placeholder = `#${this.placeholders.size.toString(36)}`;
      this.placeholders.set(name, placeholder);
      this.names[placeholder] = name;
    }
    return placeholder;
  }
}
