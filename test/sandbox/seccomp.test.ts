import { describe, expect, it } from "vitest";
import {
  AF_UNIX,
  buildSeccompFilter,
  CLONE_NAMESPACE_FLAGS,
  ENOSYS,
  EPERM,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  SYSCALL_NUMBERS,
  type SeccompArch,
} from "../../src/core/sandbox/seccomp.js";

const AUDIT = { x86_64: 0xc000003e, aarch64: 0xc00000b7, i386: 0x40000003 } as const;

interface SeccompData {
  nr: number;
  arch: number;
  args?: number[];
}

/** A small interpreter for the subset of classic BPF a seccomp filter may use. */
function evaluate(program: Buffer, data: SeccompData): number {
  const mem = Buffer.alloc(64);
  mem.writeUInt32LE(data.nr >>> 0, 0);
  mem.writeUInt32LE(data.arch >>> 0, 4);
  (data.args ?? []).forEach((a, i) => mem.writeBigUInt64LE(BigInt(a), 16 + i * 8));
  expect(program.length % 8).toBe(0);
  let acc = 0;
  for (let pc = 0, steps = 0; pc < program.length / 8; pc++, steps++) {
    if (steps > 4096) throw new Error("loop");
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    switch (code) {
      case 0x20: // ld w abs
        if (k % 4 !== 0 || k + 4 > 64) throw new Error(`bad load offset ${k}`);
        acc = mem.readUInt32LE(k);
        break;
      case 0x15: // jeq k
        pc += acc === k ? jt : jf;
        break;
      case 0x35: // jge k
        pc += acc >= k ? jt : jf;
        break;
      case 0x45: // jset k
        pc += (acc & k) !== 0 ? jt : jf;
        break;
      case 0x06: // ret k
        return k;
      default:
        throw new Error(`unexpected opcode 0x${code.toString(16)} at ${pc}`);
    }
  }
  throw new Error("fell off the end of the program");
}

const errno = (e: number): number => (SECCOMP_RET_ERRNO | e) >>> 0;

describe.each(["x86_64", "aarch64"] as SeccompArch[])("seccomp filter (%s)", (arch) => {
  const nr = SYSCALL_NUMBERS[arch];
  const off = buildSeccompFilter({ allowNetwork: false, arch });
  const on = buildSeccompFilter({ allowNetwork: true, arch });
  const run = (prog: Buffer, n: number, args: number[] = []): number => evaluate(prog, { nr: n, arch: AUDIT[arch], args });

  it("allows AF_UNIX sockets and socketpairs, denies other families without network", () => {
    expect(run(off, nr.socket, [AF_UNIX])).toBe(SECCOMP_RET_ALLOW);
    expect(run(off, nr.socketpair, [AF_UNIX])).toBe(SECCOMP_RET_ALLOW);
    for (const family of [2 /* INET */, 10 /* INET6 */, 16 /* NETLINK */, 17 /* PACKET */]) {
      expect(run(off, nr.socket, [family])).toBe(errno(EPERM));
    }
    // Only the low 32 bits of the argument are the int the kernel sees.
    expect(run(off, nr.socket, [0x1_0000_0001])).toBe(SECCOMP_RET_ALLOW);
  });

  it("allows every family with network", () => {
    expect(run(on, nr.socket, [2])).toBe(SECCOMP_RET_ALLOW);
    expect(run(on, nr.socket, [16])).toBe(SECCOMP_RET_ALLOW);
  });

  it("denies escape syscalls in both variants", () => {
    for (const name of ["ptrace", "mount", "umount2", "unshare", "setns", "pivot_root", "chroot", "kexec_load",
      "bpf", "perf_event_open", "keyctl", "add_key", "request_key", "io_uring_setup", "init_module",
      "finit_module", "sethostname"] as const) {
      expect(run(off, nr[name]), name).toBe(errno(EPERM));
      expect(run(on, nr[name]), name).toBe(errno(EPERM));
    }
  });

  it("clone: plain forks and threads pass, namespace flags are refused, clone3 says ENOSYS", () => {
    const SIGCHLD = 17;
    const threadFlags = 0x003d0f00;
    expect(run(off, nr.clone, [SIGCHLD])).toBe(SECCOMP_RET_ALLOW);
    expect(run(off, nr.clone, [threadFlags])).toBe(SECCOMP_RET_ALLOW);
    expect(run(off, nr.clone, [0x10000000 | SIGCHLD])).toBe(errno(EPERM)); // CLONE_NEWUSER
    expect(run(off, nr.clone, [0x00020000])).toBe(errno(EPERM)); // CLONE_NEWNS
    expect(CLONE_NAMESPACE_FLAGS & 0xff).toBe(0);
    expect(run(off, nr.clone3)).toBe(errno(ENOSYS));
  });

  it("allows ordinary syscalls", () => {
    for (const n of [0, 1, 2, 3, 56 + 1, 59, 63, 231]) {
      if (Object.values(nr).includes(n)) continue;
      expect(run(off, n)).toBe(SECCOMP_RET_ALLOW);
    }
  });

  it("kills a process calling in through another architecture", () => {
    expect(evaluate(off, { nr: nr.socket, arch: AUDIT.i386, args: [2] })).toBe(SECCOMP_RET_KILL_PROCESS);
  });
});

describe("seccomp filter x86_64 specifics", () => {
  it("rejects x32 syscalls", () => {
    const prog = buildSeccompFilter({ allowNetwork: true, arch: "x86_64" });
    expect(evaluate(prog, { nr: 0x40000000 | 41, arch: AUDIT.x86_64, args: [2] })).toBe(errno(EPERM));
    expect(evaluate(prog, { nr: 0x40000000, arch: AUDIT.x86_64 })).toBe(errno(EPERM));
  });

  it("uses the kernel's syscall numbers for socket", () => {
    expect(SYSCALL_NUMBERS.x86_64.socket).toBe(41);
    expect(SYSCALL_NUMBERS.aarch64.socket).toBe(198);
  });
});
