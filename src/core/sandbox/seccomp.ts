/**
 * A classic-BPF seccomp program, assembled here so the sandbox needs no libseccomp.
 * bwrap installs it (`--seccomp FD`) after it has finished building the namespaces, so denying
 * namespace and mount syscalls here cannot break bwrap itself.
 */

export type SeccompArch = "x86_64" | "aarch64";

export interface SeccompFilterOptions {
  allowNetwork: boolean;
  /** Defaults to the architecture Node runs on. */
  arch?: SeccompArch;
}

const AUDIT_ARCH: Record<SeccompArch, number> = { x86_64: 0xc000003e, aarch64: 0xc00000b7 };
const X32_SYSCALL_BIT = 0x40000000;

export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
export const EPERM = 1;
export const ENOSYS = 38;
export const AF_UNIX = 1;

/** Namespace flags in clone(2)'s first argument; CLONE_NEWTIME is left out because it overlaps the exit-signal byte. */
export const CLONE_NAMESPACE_FLAGS = 0x7e020000;

/** Offsets into `struct seccomp_data` (little-endian on both supported arches). */
const OFF_NR = 0;
const OFF_ARCH = 4;
const OFF_ARG0_LOW = 16;

const BPF_LD_W_ABS = 0x20;
const BPF_JEQ_K = 0x15;
const BPF_JGE_K = 0x35;
const BPF_JSET_K = 0x45;
const BPF_RET_K = 0x06;

/** Syscalls that let a process reach beyond the sandbox (other processes, kernel state, new namespaces). */
const DENIED = [
  "ptrace", "process_vm_readv", "process_vm_writev",
  "mount", "umount2", "pivot_root", "chroot", "unshare", "setns",
  "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
  "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot",
  "bpf", "perf_event_open", "keyctl", "add_key", "request_key", "userfaultfd", "open_by_handle_at",
  "io_uring_setup", "io_uring_enter", "io_uring_register",
  "swapon", "swapoff", "sethostname", "setdomainname", "acct",
] as const;

type SyscallName = (typeof DENIED)[number] | "socket" | "socketpair" | "clone" | "clone3";

export const SYSCALL_NUMBERS: Record<SeccompArch, Record<SyscallName, number>> = {
  x86_64: {
    socket: 41, socketpair: 53, clone: 56, clone3: 435, ptrace: 101, process_vm_readv: 310,
    process_vm_writev: 311, mount: 165, umount2: 166, pivot_root: 155, chroot: 161, unshare: 272,
    setns: 308, open_tree: 428, move_mount: 429, fsopen: 430, fsconfig: 431, fsmount: 432, fspick: 433,
    mount_setattr: 442, kexec_load: 246, kexec_file_load: 320, init_module: 175, finit_module: 313,
    delete_module: 176, reboot: 169, bpf: 321, perf_event_open: 298, keyctl: 250, add_key: 248,
    request_key: 249, userfaultfd: 323, open_by_handle_at: 304, io_uring_setup: 425,
    io_uring_enter: 426, io_uring_register: 427, swapon: 167, swapoff: 168, sethostname: 170,
    setdomainname: 171, acct: 163,
  },
  aarch64: {
    socket: 198, socketpair: 199, clone: 220, clone3: 435, ptrace: 117, process_vm_readv: 270,
    process_vm_writev: 271, mount: 40, umount2: 39, pivot_root: 41, chroot: 51, unshare: 97,
    setns: 268, open_tree: 428, move_mount: 429, fsopen: 430, fsconfig: 431, fsmount: 432, fspick: 433,
    mount_setattr: 442, kexec_load: 104, kexec_file_load: 294, init_module: 105, finit_module: 273,
    delete_module: 106, reboot: 142, bpf: 280, perf_event_open: 241, keyctl: 219, add_key: 217,
    request_key: 218, userfaultfd: 282, open_by_handle_at: 265, io_uring_setup: 425,
    io_uring_enter: 426, io_uring_register: 427, swapon: 224, swapoff: 225, sethostname: 161,
    setdomainname: 162, acct: 89,
  },
};

export function hostSeccompArch(): SeccompArch {
  if (process.arch === "x64") return "x86_64";
  if (process.arch === "arm64") return "aarch64";
  throw new Error(`seccomp filter: unsupported CPU architecture ${process.arch} (need x64 or arm64)`);
}

type Insn =
  | { op: "ld"; offset: number }
  | { op: "jeq" | "jge" | "jset"; k: number; jt: string | 0; jf: string | 0 }
  | { op: "ret"; k: number }
  | { op: "label"; name: string };

/** Builds the filter as an array of `struct sock_filter` (8 bytes each), ready for `bwrap --seccomp`. */
export function buildSeccompFilter(options: SeccompFilterOptions): Buffer {
  const arch = options.arch ?? hostSeccompArch();
  const nr = SYSCALL_NUMBERS[arch];
  const deny = SECCOMP_RET_ERRNO | EPERM;
  const prog: Insn[] = [
    { op: "ld", offset: OFF_ARCH },
    { op: "jeq", k: AUDIT_ARCH[arch], jt: 0, jf: "kill" },
    { op: "ld", offset: OFF_NR },
  ];
  // x32 shares the x86_64 audit arch but sets this bit; its syscall table would bypass the numbers below.
  if (arch === "x86_64") prog.push({ op: "jge", k: X32_SYSCALL_BIT, jt: "deny", jf: 0 });
  for (const name of DENIED) prog.push({ op: "jeq", k: nr[name], jt: "deny", jf: 0 });
  // clone3 hides its flags behind a pointer; ENOSYS makes libc fall back to clone(), whose flags we can see.
  prog.push({ op: "jeq", k: nr.clone3, jt: "enosys", jf: 0 });
  prog.push({ op: "jeq", k: nr.clone, jt: "check_clone", jf: 0 });
  if (!options.allowNetwork) {
    prog.push({ op: "jeq", k: nr.socket, jt: "check_family", jf: 0 });
    prog.push({ op: "jeq", k: nr.socketpair, jt: "check_family", jf: 0 });
  }
  prog.push({ op: "ret", k: SECCOMP_RET_ALLOW });
  if (!options.allowNetwork) {
    prog.push({ op: "label", name: "check_family" });
    prog.push({ op: "ld", offset: OFF_ARG0_LOW });
    prog.push({ op: "jeq", k: AF_UNIX, jt: "allow", jf: "deny" });
  }
  prog.push(
    { op: "label", name: "check_clone" },
    { op: "ld", offset: OFF_ARG0_LOW },
    { op: "jset", k: CLONE_NAMESPACE_FLAGS, jt: "deny", jf: "allow" },
    { op: "label", name: "allow" },
    { op: "ret", k: SECCOMP_RET_ALLOW },
    { op: "label", name: "deny" },
    { op: "ret", k: deny },
    { op: "label", name: "enosys" },
    { op: "ret", k: SECCOMP_RET_ERRNO | ENOSYS },
    { op: "label", name: "kill" },
    { op: "ret", k: SECCOMP_RET_KILL_PROCESS },
  );
  return assemble(prog);
}

function assemble(prog: Insn[]): Buffer {
  const labels = new Map<string, number>();
  let pc = 0;
  for (const insn of prog) {
    if (insn.op === "label") labels.set(insn.name, pc);
    else pc += 1;
  }
  const out = Buffer.alloc(pc * 8);
  pc = 0;
  const target = (to: string | 0, from: number): number => {
    if (to === 0) return 0;
    const at = labels.get(to);
    if (at === undefined) throw new Error(`seccomp assembler: unknown label ${to}`);
    const rel = at - from - 1;
    if (rel < 0 || rel > 255) throw new Error(`seccomp assembler: jump to ${to} out of range`);
    return rel;
  };
  for (const insn of prog) {
    if (insn.op === "label") continue;
    const at = pc * 8;
    let code: number;
    let jt = 0;
    let jf = 0;
    let k: number;
    if (insn.op === "ld") {
      code = BPF_LD_W_ABS;
      k = insn.offset;
    } else if (insn.op === "ret") {
      code = BPF_RET_K;
      k = insn.k;
    } else {
      code = insn.op === "jeq" ? BPF_JEQ_K : insn.op === "jge" ? BPF_JGE_K : BPF_JSET_K;
      jt = target(insn.jt, pc);
      jf = target(insn.jf, pc);
      k = insn.k;
    }
    out.writeUInt16LE(code, at);
    out.writeUInt8(jt, at + 2);
    out.writeUInt8(jf, at + 3);
    out.writeUInt32LE(k >>> 0, at + 4);
    pc += 1;
  }
  return out;
}
