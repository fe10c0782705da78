// Page-side: functions the recorder puts in the page's place (alert, confirm, prompt, timers)
// must look to the page as the browser's own do. A page (or a script that checks it is not
// being automated) may ask `alert.toString()`, `confirm.length` or `prompt.name`; before, they
// gave the recorder's source text. Function.prototype.toString answers for these functions
// as for a native one, and for itself too; their name and length are the native ones.

/** Functions that stand in for a native one: the name the native source text shows. */
const standIns = new WeakMap<object, string>();

let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const descriptor = Object.getOwnPropertyDescriptor(Function.prototype, 'toString')!;
  const original = descriptor.value as (this: unknown) => string;
  // A Proxy keeps the native function's own name, length and (non-)constructibility.
  const toString = new Proxy(original, {
    apply(target, thisArg: unknown, args: unknown[]): string {
      const name = typeof thisArg === 'function' ? standIns.get(thisArg) : undefined;
      if (name !== undefined) return `function ${name}() { [native code] }`;
      return Reflect.apply(target, thisArg, args) as string;
    },
  });
  standIns.set(toString, 'toString');
  Object.defineProperty(Function.prototype, 'toString', { ...descriptor, value: toString });
}

/**
 * Puts `standIn` in the place of `owner`'s own function `name` (the window's by default; a
 * prototype's, such as Response.prototype), looking like it: its name, its length, its source
 * text, the same property descriptor. Returns the native function, or undefined (nothing
 * replaced) when `owner` has no such function of its own.
 */
export function replaceNative<F extends (...args: never[]) => unknown>(name: string, standIn: F, owner: object = window): ((...args: never[]) => unknown) | undefined {
  install();
  const descriptor = Object.getOwnPropertyDescriptor(owner, name);
  const native = descriptor?.value as ((...args: never[]) => unknown) | undefined;
  if (!descriptor || typeof native !== 'function') return undefined;
  Object.defineProperty(standIn, 'name', { value: native.name, configurable: true });
  Object.defineProperty(standIn, 'length', { value: native.length, configurable: true });
  standIns.set(standIn, native.name);
  Object.defineProperty(owner, name, { ...descriptor, value: standIn });
  return native;
}
