/** How a command is shown: the script of `bash -lc '<script>'`, else the argv shell-quoted. */
export function displayCommand(argv: readonly string[]): string {
  if (argv.length === 3 && /(^|\/)(ba|z|da)?sh$/.test(argv[0]!) && (argv[1] === "-lc" || argv[1] === "-c")) return argv[2]!;
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}
