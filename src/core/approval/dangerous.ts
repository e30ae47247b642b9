// Commands that must never run without a person seeing them first, even inside a sandbox:
// a forced `rm` (also behind `sudo`). Under `never` these are refused rather than asked.

function basename(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash >= 0 ? path.slice(slash + 1) : path;
}

function rmIsForced(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === "--") return false;
    if (a === "--force") return true;
    if (a.startsWith("-") && !a.startsWith("--") && a.includes("f")) return true;
  }
  return false;
}

export function isDangerousArgv(argv: readonly string[]): boolean {
  const [cmd0, ...args] = argv;
  if (cmd0 === undefined) return false;
  const name = basename(cmd0);
  if (name === "sudo") return isDangerousArgv(args);
  return name === "rm" && rmIsForced(args);
}
