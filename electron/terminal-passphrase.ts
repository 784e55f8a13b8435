// Asks for a passphrase on the terminal without showing it (the browser preview, started without DATA_PASSPHRASE).
// Only on a terminal: a preview started by a script without one must say what to set, not wait for input forever.

/** Reads one line from a terminal with echo off; undefined when stdin is not a terminal. */
export async function readHidden(question: string): Promise<string | undefined> {
  const input = process.stdin;
  if (!input.isTTY) return undefined;
  process.stderr.write(question);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (chunk: string) => {
        for (const char of chunk) {
          if (char === '\r' || char === '\n') {
            input.off('data', onData);
            return resolve(typed);
          }
          if (char === '\u0003') {
            input.off('data', onData);
            return reject(new Error('cancelled'));
          }
          if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
          else if (char >= ' ') typed += char;
        }
      };
      input.on('data', onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
    process.stderr.write('\n');
  }
}
