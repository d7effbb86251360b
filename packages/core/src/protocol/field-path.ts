// Turns a JSON pointer from a schema error ("/peers/3/allowedIps/0") into the field path the API
// uses ("peers[3].allowedIps[0]"). Property names an attacker chose are quoted, never echoed raw.

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends one step to a field path: an index becomes "[3]", a name ".name" (or the name alone at the root). */
export function fieldStep(path: string, step: string | number): string {
  if (typeof step === "number") return `${path}[${step}]`;
  if (IDENTIFIER.test(step)) return path === "" ? step : `${path}.${step}`;
  return `${path}[${JSON.stringify(step.slice(0, 64))}]`;
}

/** `root` followed by the pointer's steps; `fallback` when both are empty. */
export function fieldPathFromPointer(pointer: string, root: string, fallback: string): string {
  const steps = pointer === "" ? [] : pointer.slice(1).split("/").map(unescapePointerStep);
  const path = steps.reduce<string>(
    (path, step) => fieldStep(path, /^(0|[1-9][0-9]*)$/.test(step) ? Number(step) : step),
    root,
  );
  return path === "" ? fallback : path;
}

function unescapePointerStep(step: string): string {
  return step.replaceAll("~1", "/").replaceAll("~0", "~");
}
