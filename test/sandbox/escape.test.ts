import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { existsSync, lstatSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { hostname, homedir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExecRunner } from "../../src/core/exec/contract.js";
import { makeRunner, makeWorkspace, realPython, requireBwrap, runIn, writeFile, type Workspace } from "./support.js";

interface Attempt {
  name: string;
  /** bash script, or python code when `py` is set. */
  script: string;
  py?: boolean;
  /** Output the denial must show (e.g. seccomp's EPERM), beyond the non-zero exit. */
  output?: RegExp;
  /** Asserts the outside world did not change. */
  check?: () => void;
}

// Python prelude: raw syscalls via libc; exit 1 with the errno when the call fails.
const PY_PRELUDE = [
  "import ctypes, os, sys, socket",
  "libc = ctypes.CDLL(None, use_errno=True)",
  "def sc(*a):",
  "    r = libc.syscall(*[ctypes.c_long(x) if isinstance(x, int) else x for x in a])",
  "    if r == -1:",
  "        e = ctypes.get_errno(); print('errno', e, os.strerror(e)); sys.exit(1)",
  "    return r",
  "",
].join("\n");

let w: Workspace;
let runner: ExecRunner;
let python: string;
let tcp: Server;
let tcpPort = 0;
let tcpConnections = 0;
let udp: UdpSocket;
let udpPort = 0;
let udpMessages = 0;
let sleeper: ChildProcess;
let homeFile: string;
const hostPid1Comm = readFileSync("/proc/1/comm", "utf8").trim();
const hostName = hostname();
const passwd = readFileSync("/etc/passwd", "utf8");

const unchanged = (file: string, content: string) => () => expect(readFileSync(file, "utf8")).toBe(content);
const absent = (p: string) => () => expect(existsSync(p), `${p} must not exist`).toBe(false);

beforeAll(async () => {
  await requireBwrap();
  python = realPython();
  w = makeWorkspace();
  execFileSync("git", ["init", "-q", w.ws]);
  writeFile(path.join(w.ws, ".git/hooks/keep"), "");
  writeFile(path.join(w.ws, ".codex/config.toml"), 'model = "safe"\n');
  writeFile(path.join(w.outside, "abs.txt"), "original\n");
  symlinkSync(w.outside, path.join(w.ws, "link-out"));
  homeFile = path.join(homedir(), `.codex-sbx-home-${process.pid}`);
  writeFileSync(homeFile, "home\n");
  tcp = createServer((s) => {
    tcpConnections += 1;
    s.destroy();
  });
  await new Promise<void>((r) => tcp.listen(0, "127.0.0.1", r));
  tcpPort = (tcp.address() as { port: number }).port;
  udp = createSocket("udp4");
  udp.on("message", () => (udpMessages += 1));
  await new Promise<void>((r) => udp.bind(0, "127.0.0.1", r));
  udpPort = udp.address().port;
  sleeper = spawn("sleep", ["600"], { stdio: "ignore" });
  await new Promise((r) => sleeper.once("spawn", r));
  runner = makeRunner();
});

afterAll(() => {
  sleeper?.kill("SIGKILL");
  tcp?.close();
  udp?.close();
  if (homeFile) rmSync(homeFile, { force: true });
  rmSync("/sys/fs/cgroup/codex-sbx-probe", { recursive: true, force: true });
  rmSync("/etc/codex-sbx-su", { force: true });
  rmSync("/usr/lib/codex-sbx-probe", { force: true });
  try {
    execFileSync("ip", ["link", "del", "codexsbx0"], { stdio: "ignore" });
  } catch {
    // expected: it was never created
  }
  // Undo a successful escape so one failing run does not leave the machine renamed.
  if (hostname() !== hostName) execFileSync("hostname", [hostName]);
  w?.cleanup();
});

function attempts(): Attempt[] {
  const out = w.outside;
  const abs = path.join(out, "abs.txt");
  const gitCfg = readFileSync(path.join(w.ws, ".git/config"), "utf8");
  const absKeep = unchanged(abs, "original\n");
  const sleeperAlive = () => {
    expect(sleeper.exitCode).toBeNull();
    expect(sleeper.signalCode).toBeNull();
    const state = readFileSync(`/proc/${sleeper.pid}/stat`, "utf8").split(") ")[1]?.[0];
    expect(state).not.toBe("T");
  };
  const netlinkNoBridge = () => {
    expect(() => execFileSync("ip", ["link", "show", "codexsbx0"], { stdio: "ignore" })).toThrow();
  };
  return [
    // Filesystem outside the writable roots.
    { name: "write an absolute path outside", script: `echo pwned > ${abs}`, check: absKeep },
    { name: "truncate an outside file", script: `: > ${abs}`, check: absKeep },
    { name: "create a file outside", script: `touch ${out}/new`, check: absent(`${out}/new`) },
    { name: "climb out with ..", script: `echo pwned > ${path.relative(w.ws, abs)}`, check: absKeep },
    { name: "write through a symlink leading out", script: "echo pwned > link-out/abs.txt", check: absKeep },
    { name: "write through a new symlink", script: `ln -s ${abs} l2 && echo pwned > l2`, check: absKeep },
    { name: "hardlink an outside file then write", script: `ln ${abs} hl && echo pwned > hl`, check: absKeep },
    { name: "write via /proc/self/root", script: `echo pwned > /proc/self/root${abs}`, check: absKeep },
    { name: "chmod an outside file", script: `chmod 777 ${abs}`, check: () => expect(statSync(abs).mode & 0o777).not.toBe(0o777) },
    { name: "append to /etc/passwd", script: "echo 'evil:x:0:0::/:/bin/sh' >> /etc/passwd", check: unchanged("/etc/passwd", passwd) },
    { name: "write a file in $HOME", script: `echo pwned > ${homeFile}`, check: unchanged(homeFile, "home\n") },
    { name: "create a file in /usr/lib", script: "touch /usr/lib/codex-sbx-probe", check: absent("/usr/lib/codex-sbx-probe") },
    // Protected paths inside the workspace.
    { name: "install a git hook", script: "echo 'rm -rf /' > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit",
      check: absent(path.join(w.ws, ".git/hooks/pre-commit")) },
    { name: "edit .git/config", script: "printf '[core]\\nhooksPath = /tmp\\n' >> .git/config",
      check: unchanged(path.join(w.ws, ".git/config"), gitCfg) },
    { name: "git hook through a symlink", script: "ln -s .git/hooks hooks-link && echo x > hooks-link/post-commit",
      check: absent(path.join(w.ws, ".git/hooks/post-commit")) },
    { name: "delete .git", script: "rm -rf .git", check: () => expect(existsSync(path.join(w.ws, ".git/config"))).toBe(true) },
    { name: "rename .codex away", script: "mv .codex codex-moved", check: () => expect(lstatSync(path.join(w.ws, ".codex")).isDirectory()).toBe(true) },
    { name: "edit .codex/config.toml", script: "echo 'sandbox_mode = \"danger-full-access\"' > .codex/config.toml",
      check: unchanged(path.join(w.ws, ".codex/config.toml"), 'model = "safe"\n') },
    // Network.
    { name: "TCP to a loopback listener (python)", py: true,
      script: `socket.create_connection(("127.0.0.1", ${tcpPort}), timeout=3)`, check: () => expect(tcpConnections).toBe(0) },
    { name: "TCP to a loopback listener (bash /dev/tcp)", script: `exec 3<>/dev/tcp/127.0.0.1/${tcpPort}`,
      check: () => expect(tcpConnections).toBe(0) },
    { name: "UDP send", py: true,
      script: `socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", ${udpPort}))`,
      check: () => expect(udpMessages).toBe(0) },
    { name: "DNS lookup", py: true, script: `socket.getaddrinfo("example.com", 80)` },
    { name: "AF_INET6 socket", py: true, script: "socket.socket(socket.AF_INET6, socket.SOCK_STREAM)", output: /Operation not permitted/ },
    { name: "raw ICMP socket", py: true, script: "socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)", output: /Operation not permitted/ },
    { name: "AF_PACKET socket", py: true, script: "socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)", output: /Operation not permitted/ },
    { name: "AF_NETLINK route socket", py: true, script: "socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)", output: /Operation not permitted/ },
    { name: "netfilter netlink (iptables-ish)", py: true, script: "socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)", output: /Operation not permitted/ },
    { name: "add a network interface", script: "ip link add codexsbx0 type bridge", check: netlinkNoBridge },
    // Namespaces, mounts, privileges.
    { name: "mount a tmpfs", script: "mkdir -p mnt && mount -t tmpfs none mnt",
      check: () => expect(readFileSync("/proc/mounts", "utf8")).not.toContain(path.join(w.ws, "mnt")) },
    { name: "unshare -r", script: "unshare -r true" },
    { name: "unshare -m", script: "unshare -m true" },
    { name: "clone(CLONE_NEWUSER)", py: true,
      script: "r = sc(56 if os.uname().machine == 'x86_64' else 220, 0x10000000 | 17, 0, 0, 0, 0)\nif r == 0: os._exit(0)\nos.waitpid(r, 0)",
      output: /errno 1 / },
    { name: "chroot", script: "chroot / /bin/true" },
    { name: "strace a child", script: "strace -o /dev/null /bin/true" },
    { name: "ptrace-attach a process outside", py: true, script: `sc(101 if os.uname().machine == 'x86_64' else 117, 16, ${"${SLEEPER}"}, 0, 0)`,
      check: sleeperAlive },
    { name: "read the test runner's memory", script: `cat /proc/${process.pid}/mem > /dev/null` },
    { name: "write the test runner's /proc/pid/mem", py: true, script: `open("/proc/${process.pid}/mem", "r+b").write(b"x")` },
    { name: "su to root and write /etc", script: "su root -c 'echo pwned > /etc/codex-sbx-su'", check: absent("/etc/codex-sbx-su") },
    { name: "kill -9 the test runner", script: `kill -9 ${process.pid}`, check: () => expect(process.kill(process.pid, 0)).toBe(true) },
    { name: "kill -9 a process outside", script: `kill -9 ${"${SLEEPER}"}`, check: sleeperAlive },
    { name: "stop the host's pid 1", script: `[ "$(cat /proc/1/comm)" = "${hostPid1Comm}" ] && kill -STOP 1` },
    { name: "create a device node", script: "mknod ./devnull c 1 3", check: absent(path.join(w.ws, "devnull")) },
    { name: "change the hostname", script: "hostname codex-evil", check: () => expect(hostname()).toBe(hostName) },
    { name: "write /proc/sysrq-trigger", script: "echo h > /proc/sysrq-trigger" },
    { name: "write /proc/sys", script: "echo codex-evil > /proc/sys/kernel/hostname", check: () => expect(hostname()).toBe(hostName) },
    { name: "create a cgroup under /sys", script: "mkdir /sys/fs/cgroup/codex-sbx-probe", check: absent("/sys/fs/cgroup/codex-sbx-probe") },
    { name: "load a kernel module (finit_module)", py: true, script: "sc(313 if os.uname().machine == 'x86_64' else 273, 0, b'', 0)", output: /errno 1 / },
    { name: "bpf syscall", py: true, script: "sc(321 if os.uname().machine == 'x86_64' else 280, 0, 0, 0)", output: /errno 1 / },
    { name: "keyctl join session keyring", py: true, script: "sc(250 if os.uname().machine == 'x86_64' else 219, 1, 0)", output: /errno 1 / },
    { name: "io_uring_setup", py: true, script: "p = ctypes.create_string_buffer(120)\nsc(425, 8, p)", output: /errno 1 / },
    { name: "perf_event_open", py: true,
      script: "a = ctypes.create_string_buffer(128)\nsc(298 if os.uname().machine == 'x86_64' else 241, a, 0, -1, -1, 0)", output: /errno 1 / },
  ];
}

describe("workspace-write sandbox denies escapes", () => {
  it("has at least 30 attempts", () => {
    expect(attempts().length).toBeGreaterThanOrEqual(30);
  });

  it("denies every attempt and leaves the outside unchanged", async () => {
    const failures: string[] = [];
    for (const a of attempts()) {
      const script = a.script.replaceAll("${SLEEPER}", String(sleeper.pid));
      const argv = a.py ? [python, "-c", `${PY_PRELUDE}${script}`] : ["bash", "-c", script];
      const res = await runIn(runner, argv, { cwd: w.ws, sandbox: w.policy() });
      const why: string[] = [];
      if (res.exitCode === 0) why.push("exit 0");
      if (a.output && !a.output.test(res.aggregatedOutput)) why.push(`output lacks ${a.output}`);
      try {
        a.check?.();
      } catch (err) {
        why.push(`outside changed: ${(err as Error).message.split("\n")[0]}`);
      }
      if (why.length > 0) failures.push(`${a.name}: ${why.join("; ")}\n  ${res.aggregatedOutput.trim().slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  });
});
