// The field names of a request body, for a form that shows API errors beside its fields. Written as an
// object with every key of the body (core's schema type), so a field added in core fails the web build
// until the form handles it, instead of silently showing its errors at the top.
export function fieldNames<Body>(fields: { [K in keyof Required<Body>]: true }): (keyof Body & string)[] {
  return Object.keys(fields) as (keyof Body & string)[];
}
