// What Electron's contextBridge does to values crossing from the preload's world into the page's, made
// explicit so the browser host's bridge loses exactly what the desktop app loses: plain data is copied
// (class instances arrive as plain objects), functions are proxied, and an error thrown or rejected
// across arrives as a plain Error that keeps only its message — its `code` and class are gone. Hence
// the bridge carries result envelopes, and typed errors are built on the page's side.

type AnyFunction = (...args: unknown[]) => unknown;

function plainError(error: unknown): Error {
  return new Error(error instanceof Error ? error.message : String(error));
}

function copy(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'function') return crossFunction(value as AnyFunction);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Promise) return crossPromise(value);
  if (value instanceof Error) return plainError(value);
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(copy(item, seen));
    return out;
  }
  if (value instanceof Date || value instanceof Uint8Array || value instanceof ArrayBuffer) return structuredClone(value);
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [key, item] of Object.entries(value)) out[key] = copy(item, seen);
  return out;
}

function crossPromise(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => copy(value, new WeakMap()),
    (error: unknown) => {
      throw plainError(error);
    },
  );
}

function crossFunction(fn: AnyFunction): AnyFunction {
  return (...args: unknown[]) => {
    let result: unknown;
    try {
      result = fn(...args.map((arg) => copy(arg, new WeakMap())));
    } catch (error) {
      throw plainError(error);
    }
    return copy(result, new WeakMap());
  };
}

/** `value` as the other world sees it after `contextBridge.exposeInMainWorld`. */
export function acrossContextBridge<T>(value: T): T {
  return copy(value, new WeakMap()) as T;
}
