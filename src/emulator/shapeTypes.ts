/**
 * The vocabulary of src/emulator/shapes.generated.ts: what JSON a property of a FusionAuth domain object takes.
 */

/**
 * A property's shape: a scalar (`int` is a 32-bit Java int, `long` a 64-bit one, `enum` a Java enum, `any` any JSON
 * value — `Object`, an untyped list item, a map the spec does not describe), a named object (`#Tenant`, its
 * properties in `OBJECT_SHAPES`), a list or set of one shape, or a map of string keys to one shape.
 */
export type Shape =
  | 'string' | 'boolean' | 'int' | 'long' | 'number' | 'enum' | 'any'
  | `#${string}`
  | { list: Shape }
  | { map: Shape };

/** The object a kind's request envelope holds: one schema, or the concrete one picked by a discriminator value. */
export type KindShape = { root: string } | { field: string; variants: Record<string, string> };
