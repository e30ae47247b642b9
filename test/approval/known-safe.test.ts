import { describe, expect, test } from "vitest";
import { isDangerousArgv, isKnownSafeCommand, parseCommand, parseShellScript } from "../../src/core/approval/index.js";

const lc = (script: string) => ["bash", "-lc", script];

describe("isKnownSafeCommand", () => {
  const safe: [string, string[]][] = [
    ["ls", ["ls"]],
    ["ls -la", ["ls", "-la"]],
    ["cat file", ["cat", "README.md"]],
    ["absolute path to ls", ["/bin/ls", "-1"]],
    ["rg pattern", ["rg", "-n", "TODO", "src"]],
    ["grep -R", ["grep", "-R", "x", "."]],
    ["head/tail/wc", ["wc", "-l", "a.txt"]],
    ["sed -n range", ["sed", "-n", "1,20p", "file.ts"]],
    ["sed -n single line", ["sed", "-n", "5p", "file.ts"]],
    ["find by name", ["find", ".", "-name", "*.ts"]],
    ["git status", ["git", "status"]],
    ["git log -p -1", ["git", "log", "-p", "-1"]],
    ["git -C dir diff", ["git", "-C", "/repo", "diff"]],
    ["git branch --show-current", ["git", "branch", "--show-current"]],
    ["git show HEAD", ["git", "show", "HEAD"]],
    ["uniq single input", ["uniq", "a.txt"]],
    ["sort file", ["sort", "-n", "a.txt"]],
    ["bash -lc ls && cat x", lc("ls && cat x")],
    ["bash -lc pipeline", lc("ls | wc -l")],
    ["bash -lc grep || true", lc('grep -R "Cargo.toml" -n || true')],
    ["bash -lc echo ; ls", lc("echo 'hi' ; ls")],
    ["sh -c", ["sh", "-c", "pwd"]],
    ["zsh -lc", ["zsh", "-lc", "ls"]],
    ["/bin/bash -lc quoted sed", ["/bin/bash", "-lc", "sed -n '1,5p' file.txt"]],
    ["bash -lc single-quoted $ is literal", lc("grep '^foo$' a.txt")],
    ["bash -lc glob for always-safe command", lc("ls *.ts")],
    ["direct argv: '>' is a literal argument", ["ls", ">", "f"]],
  ];
  test.each(safe)("safe: %s", (_name, argv) => {
    expect(isKnownSafeCommand(argv)).toBe(true);
  });

  const unsafe: [string, string[]][] = [
    ["unknown program", ["foo"]],
    ["rm", ["rm", "x"]],
    ["find -delete", ["find", ".", "-delete"]],
    ["find -exec", ["find", ".", "-name", "x", "-exec", "rm", "{}", ";"]],
    ["find -execdir", ["find", ".", "-execdir", "python3", "{}", ";"]],
    ["find -ok", ["find", ".", "-ok", "rm", "{}", ";"]],
    ["find -fprintf", ["find", ".", "-fprintf", "/root/x", "%p"]],
    ["find -fprint", ["find", ".", "-fprint", "/etc/passwd"]],
    ["rg --pre x", ["rg", "--pre", "x", "pat"]],
    ["rg --pre=x", ["rg", "--pre=x", "pat"]],
    ["rg --search-zip", ["rg", "--search-zip", "pat"]],
    ["rg -z", ["rg", "-z", "pat"]],
    ["rg bundled -nz", ["rg", "-nz", "pat"]],
    ["rg --hostname-bin", ["rg", "--hostname-bin=evil", "pat"]],
    ["git -c core.pager=x log", ["git", "-c", "core.pager=x", "log"]],
    ["git -ccore.pager=x log", ["git", "-ccore.pager=x", "log"]],
    ["git --git-dir", ["git", "--git-dir=/x", "status"]],
    ["git -p log", ["git", "-p", "log"]],
    ["git diff --output", ["git", "diff", "--output=/tmp/x"]],
    ["git log --ext-diff", ["git", "log", "--ext-diff"]],
    ["git branch create", ["git", "branch", "newbranch"]],
    ["git branch -D", ["git", "branch", "-D", "old"]],
    ["git push", ["git", "push"]],
    ["git checkout", ["git", "checkout", "main"]],
    ["sed -i", ["sed", "-i", "s/a/b/", "f"]],
    ["sed -n with script", ["sed", "-n", "1p;w out", "f"]],
    ["sed without -n", ["sed", "s/a/b/", "f"]],
    ["sort -o", ["sort", "-o", "out", "in"]],
    ["uniq in out", ["uniq", "in.txt", "out.txt"]],
    ["base64 -o", ["base64", "-o", "out.bin"]],
    ["cargo check", ["cargo", "check"]],
    ["bash -lc ls > f", lc("ls > f")],
    ["bash -lc ls >> f", lc("ls >> f")],
    ["bash -lc 2>&1", lc("ls 2>&1")],
    ["bash -lc $(...)", lc("echo $(rm x)")],
    ["bash -lc backticks", lc("echo `rm x`")],
    ["bash -lc \"$HOME\"", lc('echo "$HOME"')],
    ["bash -lc subshell", lc("(ls)")],
    ["bash -lc nested subshell", lc("ls || (pwd && echo hi)")],
    ["bash -lc background", lc("ls &")],
    ["bash -lc newline hides a command", lc("ls\nrm -rf x")],
    ["bash -lc comment", lc("ls # rm")],
    ["bash -lc unterminated quote", lc('echo "oops')],
    ["bash -lc ls && rm", lc("ls && rm -rf /")],
    ["bash -lc quoted program name", lc("'git status'")],
    ["bash -lc env assignment prefix", lc("FOO=1 ls")],
    ["bash -lc trailing &&", lc("ls &&")],
    ["bash -lc leading ;", lc("; ls")],
    ["bash -lc glob on arg-checked command", lc("rg foo *")],
    ["bash -lc find -delete", lc("find . -name x -delete")],
    ["bash -lc with extra args", ["bash", "-lc", "git", "status"]],
    ["bash -x is not a wrapper", ["bash", "-x", "ls"]],
    ["empty argv", []],
  ];
  test.each(unsafe)("not safe: %s", (_name, argv) => {
    expect(isKnownSafeCommand(argv)).toBe(false);
  });
});

describe("parseCommand", () => {
  test("splits && || ; | and unwraps bash -lc", () => {
    expect(parseCommand(lc("a && b || c ; d | e")).commands.map((c) => c.argv)).toEqual([["a"], ["b"], ["c"], ["d"], ["e"]]);
  });
  test("keeps quoted words whole", () => {
    expect(parseShellScript(`grep -n "a b" 'c d'`)).toEqual([{ argv: ["grep", "-n", "a b", "c d"], hasGlob: false }]);
  });
  test("an unparseable script stays as the raw argv", () => {
    expect(parseCommand(lc("ls > f"))).toEqual({
      commands: [{ argv: ["bash", "-lc", "ls > f"], hasGlob: false }],
      unwrapped: false,
      parsed: false,
    });
  });
});

describe("isDangerousArgv", () => {
  test.each([
    [["rm", "-rf", "/"], true],
    [["rm", "-f", "x"], true],
    [["rm", "--force", "x"], true],
    [["/bin/rm", "-fr", "x"], true],
    [["sudo", "rm", "-rf", "x"], true],
    [["rm", "-r", "x"], false],
    [["rm", "--", "-f"], false],
    [["ls", "-f"], false],
  ] as [string[], boolean][])("%j → %s", (argv, expected) => {
    expect(isDangerousArgv(argv)).toBe(expected);
  });
});
