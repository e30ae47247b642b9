const SAFE_WORD = /^[A-Za-z0-9_\-+=.,/:@%^]+$/;

/** POSIX-quote one word, only when it needs it. */
export function quoteShellWord(word: string): string {
  if (word !== "" && SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'"'"'`)}'`;
}

/** How a command is shown in events, e.g. `/bin/bash -lc 'ls -la'`. */
export function commandDisplay(argv: string[]): string {
  return argv.map(quoteShellWord).join(" ");
}
