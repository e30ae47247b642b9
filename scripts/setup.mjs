// Fresh-machine setup: system packages (when root and missing), npm ci, build, npm link.
import { execFileSync, spawnSync } from "node:child_process";

const run = (cmd, args) => {
  console.error(`$ ${cmd} ${args.join(" ")}`);
  execFileSync(cmd, args, { stdio: "inherit" });
};
const has = (bin) => spawnSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" }).status === 0;

const systemPackages = [
  { bin: "bwrap", pkg: "bubblewrap" },
  { bin: "tmux", pkg: "tmux" },
  // The TUI end-to-end tests also run under GNU screen.
  { bin: "screen", pkg: "screen" },
  // better-sqlite3 (the state database) compiles from source when no prebuilt binary fits this Node.
  { bin: "python3", pkg: "python3" },
  { bin: "make", pkg: "make" },
  { bin: "g++", pkg: "g++" },
];
const missing = systemPackages.filter((p) => !has(p.bin)).map((p) => p.pkg);
if (missing.length > 0) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && has("apt-get")) {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const apt = (args) => execFileSync("apt-get", args, { stdio: "inherit", env });
    try {
      apt(["install", "-y", "--no-install-recommends", ...missing]);
    } catch {
      apt(["update"]);
      apt(["install", "-y", "--no-install-recommends", ...missing]);
    }
  } else {
    console.error(`warning: missing system packages: ${missing.join(", ")} (install them with apt as root)`);
  }
}
run("npm", ["ci"]);
// An optional dependency whose install failed leaves npm ci green: check that the native module loads, and
// build it from source once if it does not. Without it codex still works (sessions are listed by
// scanning the rollout files, and no log rows are kept), so this warns instead of failing.
const sqliteLoads = () =>
  spawnSync(process.execPath, ["-e", "new (require('better-sqlite3'))(':memory:').close()"], { stdio: "ignore" }).status === 0;
if (!sqliteLoads()) {
  try {
    run("npm", ["rebuild", "better-sqlite3", "--build-from-source"]);
  } catch {
    // reported below
  }
  if (!sqliteLoads()) {
    console.error(
      "warning: better-sqlite3 did not build (it needs python3, make and a C++ compiler); codex lists sessions by scanning the files and keeps no log rows",
    );
  }
}
run("npm", ["run", "build"]);
try {
  run("npm", ["link"]);
} catch {
  // Most often another `codex` (the reference CLI) already owns the global bin name; we do not
  // overwrite it silently.
  console.error(
    "warning: `npm link` failed, so `codex` is not on your PATH. Run `npm link --force` to replace an existing " +
      `codex binary, or use ${new URL("../bin/codex.js", import.meta.url).pathname} directly.`,
  );
}
