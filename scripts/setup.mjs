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
