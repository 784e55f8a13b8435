// How deeply input may nest (../spec/trust.md "Abuse and exposure"): far deeper than any valid document, far
// shallower than what would exhaust a recursive parser or validator. Both checks walk without recursion, so the
// check itself cannot overflow the stack it protects.
export const MAX_NESTING = 64;

export const TOO_DEEP_MESSAGE = `the input is nested too deeply (at most ${MAX_NESTING} levels)`;

/** Whether JSON text opens more than `limit` objects or arrays inside one another (strings are skipped). */
export function jsonTextTooDeep(text: string, limit = MAX_NESTING): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Whether a value holds objects or arrays more than `limit` levels inside one another. */
export function valueTooDeep(value: unknown, limit = MAX_NESTING): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(current)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
