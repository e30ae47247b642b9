import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { BASE_INSTRUCTIONS } from "../../src/core/context/base-instructions.js";
import { environmentContextXml, localDate } from "../../src/core/context/environment-context.js";
import { isInjectedContextMessage, userPromptText } from "../../src/core/context/injected-context.js";
import { buildInitialContext, initialContextItems } from "../../src/core/context/initial-context.js";
import {
  inspectLocalImage,
  readImageAsDataUrl,
  UNDECODABLE_IMAGE_NOTE,
  userMessageItem,
} from "../../src/core/context/user-message.js";
import type { ResponseItem } from "../../src/protocol/items.js";

const base = { cwd: "/repo", shell: "/usr/bin/zsh", currentDate: "2026-02-26", timezone: "America/Los_Angeles" };

describe("environmentContextXml", () => {
  test("workspace-write", () => {
    const xml = environmentContextXml({
      ...base,
      sandboxPolicy: {
        mode: "workspace-write",
        writableRoots: ["/repo", "/extra"],
        networkAccess: false,
        excludeSlashTmp: false,
        excludeTmpdirEnvVar: false,
      },
    });
    expect(xml).toBe(
      [
        "<environment_context>",
        "  <cwd>/repo</cwd>",
        "  <shell>zsh</shell>",
        "  <current_date>2026-02-26</current_date>",
        "  <timezone>America/Los_Angeles</timezone>",
        '  <filesystem><workspace_roots><root>/repo</root></workspace_roots><permission_profile type="managed"><file_system type="restricted">' +
          '<entry access="read"><special>:root</special></entry>' +
          '<entry access="write"><path>/repo</path></entry>' +
          '<entry access="write"><special>:slash_tmp</special></entry>' +
          '<entry access="write"><special>:tmpdir</special></entry>' +
          '<entry access="write"><path>/extra</path></entry>' +
          '<entry access="read"><path>/repo/.git</path></entry>' +
          '<entry access="read"><path>/repo/.agents</path></entry>' +
          '<entry access="read"><path>/repo/.codex</path></entry>' +
          "</file_system></permission_profile></filesystem>",
        "</environment_context>",
      ].join("\n"),
    );
  });

  test("read-only, full access, network lists and escaping", () => {
    expect(environmentContextXml({ ...base, sandboxPolicy: { mode: "read-only", networkAccess: false } })).toContain(
      '<permission_profile type="managed"><file_system type="restricted"><entry access="read"><special>:root</special></entry></file_system></permission_profile>',
    );
    const full = environmentContextXml({
      ...base,
      cwd: "/a&<b>",
      sandboxPolicy: { mode: "danger-full-access" },
      network: { allowedDomains: ["api.example.com", "*.openai.com"], deniedDomains: [] },
    });
    expect(full).toContain("<cwd>/a&amp;&lt;b&gt;</cwd>");
    expect(full).toContain('<network enabled="true"><allowed>api.example.com,*.openai.com</allowed></network>');
    expect(full).toContain(
      '<filesystem><workspace_roots><root>/a&amp;&lt;b&gt;</root></workspace_roots><permission_profile type="disabled"><file_system type="unrestricted" /></permission_profile></filesystem>',
    );
  });
});

describe("initial context", () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "initial-ctx-"));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  test("order: developer base, developer extras, AGENTS.md user, environment user", async () => {
    const repo = path.join(tmp, "repo");
    await mkdir(path.join(repo, ".git"), { recursive: true });
    await writeFile(path.join(repo, "AGENTS.md"), "Run npm test.");
    let n = 0;
    const items = await buildInitialContext({
      codexHome: path.join(tmp, "home"),
      cwd: repo,
      projectDocMaxBytes: 32768,
      instructions: "INSTR",
      developerInstructions: "DEV",
      approvalPolicy: "never",
      sandboxPolicy: { mode: "read-only", networkAccess: false },
      shell: "/bin/bash",
      now: () => new Date(2026, 1, 26, 12),
      timezone: "UTC",
      newItemId: () => `msg_${++n}`,
    });
    expect(items.map((i) => [i.id, (i as { role: string }).role])).toEqual([
      ["msg_1", "developer"],
      ["msg_2", "developer"],
      ["msg_3", "user"],
      ["msg_4", "user"],
    ]);
    const texts = items.map((i) => (i as { content: { text: string }[] }).content.map((c) => c.text));
    expect(texts[0]).toEqual([BASE_INSTRUCTIONS]);
    expect(texts[1]?.[0]).toMatch(/^<permissions instructions>[\s\S]*Approvals: never/);
    expect(texts[1]?.slice(1)).toEqual(["INSTR", "DEV"]);
    expect(texts[2]).toEqual([`# AGENTS.md instructions for ${repo}\n\n<INSTRUCTIONS>\nRun npm test.\n</INSTRUCTIONS>`]);
    expect(texts[3]?.[0]).toContain("<current_date>2026-02-26</current_date>\n  <timezone>UTC</timezone>");
    expect(items.every(isInjectedContextMessage)).toBe(true);
  });

  test("no AGENTS.md and no extras: just base instructions and environment; no ids unless asked", () => {
    const items = initialContextItems({
      baseInstructions: "BASE",
      developerTexts: ["", "  "],
      agentsMd: null,
      environmentContext: "<environment_context>\n</environment_context>",
    });
    expect(items).toEqual([
      { type: "message", role: "developer", content: [{ type: "input_text", text: "BASE" }] },
      { type: "message", role: "user", content: [{ type: "input_text", text: "<environment_context>\n</environment_context>" }] },
    ]);
  });

  test("base instructions are our own, tool-accurate prompt", () => {
    const lines = BASE_INSTRUCTIONS.split("\n").length;
    expect(lines).toBeGreaterThan(30);
    for (const word of ["exec_command", "apply_patch", "update_plan", "AGENTS.md"]) expect(BASE_INSTRUCTIONS).toContain(word);
    expect(localDate(new Date(2026, 0, 5))).toBe("2026-01-05");
  });
});

describe("user messages", () => {
  test("images first with wrappers, then text; relative paths resolve against cwd", async () => {
    const seen: string[] = [];
    const item = await userMessageItem(
      [
        { type: "text", text: "what is this?" },
        { type: "local_image", path: "shots/a.png" },
        { type: "image", image_url: "https://x/y.png" },
      ],
      { cwd: "/work", readImage: async (p) => (seen.push(p), "data:image/png;base64,AAAA") },
    );
    expect(seen).toEqual(["/work/shots/a.png"]);
    expect(item).toEqual({
      type: "message",
      role: "user",
      content: [
        { type: "input_text", text: '<image name=[Image #1] path="shots/a.png">' },
        { type: "input_image", image_url: "data:image/png;base64,AAAA", detail: "original" },
        { type: "input_text", text: "</image>" },
        { type: "input_text", text: "<image name=[Image #2]>" },
        { type: "input_image", image_url: "https://x/y.png", detail: "original" },
        { type: "input_text", text: "</image>" },
        { type: "input_text", text: "what is this?" },
      ],
    });
    expect(isInjectedContextMessage(item)).toBe(false);
    expect(userPromptText(item)).toBe("what is this?");
  });

  test("default image reader sniffs the format and names the file on errors", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "img-"));
    try {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]);
      await writeFile(path.join(dir, "p.bin"), png);
      await writeFile(path.join(dir, "t.png"), "not an image");
      const ok = await userMessageItem([{ type: "local_image", path: "p.bin" }], { cwd: dir, id: "msg_x" });
      expect(ok.id).toBe("msg_x");
      expect(ok.content[1]).toEqual({ type: "input_image", image_url: `data:image/png;base64,${png.toString("base64")}`, detail: "original" });
      await expect(readImageAsDataUrl(path.join(dir, "t.png"))).rejects.toThrow(/t\.png: unsupported image format/);
      await expect(readImageAsDataUrl(path.join(dir, "missing.png"))).rejects.toThrow(/missing\.png: cannot read image \(ENOENT\)/);
      await expect(userMessageItem([], { cwd: dir })).rejects.toThrow(/empty/);
      expect(await inspectLocalImage(path.join(dir, "p.bin"))).toBeNull();
      expect(await inspectLocalImage(path.join(dir, "t.png"))).toMatchObject({ kind: "undecodable" });
      expect(await inspectLocalImage(path.join(dir, "missing.png"))).toMatchObject({ kind: "unreadable", reason: "ENOENT" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("an unreadable or undecodable image becomes a note in its place; the message is still built", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "img-"));
    try {
      await writeFile(path.join(dir, "t.png"), "not an image");
      const item = await userMessageItem(
        [
          { type: "local_image", path: "missing.png" },
          { type: "local_image", path: "t.png" },
          { type: "text", text: "hi" },
        ],
        { cwd: dir },
      );
      expect(item.content).toEqual([
        { type: "input_text", text: "The local image `missing.png` could not be read (ENOENT)." },
        { type: "input_text", text: '<image name=[Image #2] path="t.png">' },
        { type: "input_text", text: UNDECODABLE_IMAGE_NOTE },
        { type: "input_text", text: "</image>" },
        { type: "input_text", text: "hi" },
      ]);
      // Other failures of a custom reader are not images' fault: they still fail.
      await expect(
        userMessageItem([{ type: "local_image", path: "x.png" }], { cwd: dir, readImage: async () => Promise.reject(new Error("boom")) }),
      ).rejects.toThrow("boom");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("isInjectedContextMessage", () => {
  const user = (text: string): ResponseItem => ({ type: "message", role: "user", content: [{ type: "input_text", text }] });
  test.each([
    ["environment context", user("<environment_context>\n  <cwd>/x</cwd>\n</environment_context>"), true],
    ["AGENTS.md", user("# AGENTS.md instructions for /x\n\n<INSTRUCTIONS>\nhi\n</INSTRUCTIONS>"), true],
    ["legacy user_instructions", user("<user_instructions>\nhi\n</user_instructions>"), true],
    ["developer", { type: "message", role: "developer", content: [{ type: "input_text", text: "x" }] }, true],
    ["real prompt", user("fix the bug"), false],
    ["prompt mentioning a tag", user("what does <environment_context> mean?"), false],
    ["assistant", { type: "message", role: "assistant", content: [{ type: "output_text", text: "hi" }] }, false],
    ["tool output", { type: "function_call_output", call_id: "c", output: "<environment_context></environment_context>" }, false],
  ] as const)("%s", (_name, item, expected) => {
    expect(isInjectedContextMessage(item as ResponseItem)).toBe(expected);
  });
});
