import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { Box, Text } from "ink";
import { useEffect, useRef, useState } from "react";
import * as ed from "../input/editor.js";
import type { KeyEvent } from "../input/keys.js";
import type { PromptHistory } from "../input/prompt-history.js";
import type { ComposerAddon, SlashContext } from "../slash/registry.js";
import { KEY_PRIORITY, useKeyHandler } from "./key-router.js";
import { useColor } from "./theme.js";

// The input box: multi-line editing, collapsed pastes, history, image paths. Enter hands the text up.

export interface ComposerSubmission {
  /** What to send (pastes expanded). */
  text: string;
  /** What was typed (placeholders kept), for the history. */
  typed: string;
  images: string[];
}

export interface ComposerProps {
  cwd: string;
  onSubmit(submission: ComposerSubmission): void;
  /** Images attached before the first message (-i). */
  initialImages?: string[];
  addons?: ComposerAddon[];
  ctx?: SlashContext;
  /** Lets the app set the text (slash commands, Ctrl+C handling). */
  bindSetText?(setText: (text: string) => void): void;
  /** Reports whether the composer is empty (Ctrl+C / Ctrl+D decide on it). */
  onEmptyChange?(empty: boolean): void;
  active?: boolean;
  placeholder?: string;
  /** Prompts of earlier sessions (history.jsonl): Up reaches them after this session's own. */
  history?: PromptHistory;
}

/** Older prompts fetched from the file per Up that runs out of loaded ones. */
const HISTORY_BATCH = 32;

const IMAGE_EXTENSIONS = new Set([".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"]);

/** A pasted or typed path to an image file becomes an attachment (quotes and a file:// prefix allowed). */
export function imagePathOf(text: string, cwd: string): string | null {
  let t = text.trim().replace(/^file:\/\//, "");
  if (/^(['"]).*\1$/.test(t)) t = t.slice(1, -1);
  t = t.replace(/\\ /g, " ");
  if (t === "" || t.includes("\n") || !IMAGE_EXTENSIONS.has(path.extname(t).toLowerCase())) return null;
  const abs = path.resolve(cwd, t.startsWith("~/") ? path.join(process.env.HOME ?? "", t.slice(2)) : t);
  try {
    return existsSync(abs) && statSync(abs).isFile() ? abs : null;
  } catch {
    return null;
  }
}

export function Composer(props: ComposerProps) {
  const color = useColor();
  // Several keys can arrive in one read ("text" then Enter): every update reads the latest value from refs.
  const [state, setStateRaw] = useState(() => ed.emptyEditor());
  const [images, setImagesRaw] = useState<string[]>(props.initialImages ?? []);
  const stateRef = useRef(state);
  const imagesRef = useRef(images);
  const setState = (next: ed.EditorState | ((s: ed.EditorState) => ed.EditorState)) => {
    stateRef.current = typeof next === "function" ? next(stateRef.current) : next;
    setStateRaw(stateRef.current);
  };
  const setImages = (next: (list: string[]) => string[]) => {
    imagesRef.current = next(imagesRef.current);
    setImagesRaw(imagesRef.current);
  };
  // Older prompts from the file: one fetch at a time, until the file has no more.
  const historyFetch = useRef<{ busy: boolean; done: boolean }>({ busy: false, done: false });
  const moveUp = () => {
    const before = stateRef.current;
    const source = props.history;
    if (!source || historyFetch.current.done || !ed.wantsOlderHistory(before)) {
      setState(ed.moveUp);
      return;
    }
    if (historyFetch.current.busy) return;
    historyFetch.current.busy = true;
    void (async () => {
      let merged = stateRef.current;
      // Entries equal to their newer neighbour add nothing: read on until one is new or the file ends.
      while (merged.history.length === stateRef.current.history.length) {
        const older = await source.older(HISTORY_BATCH);
        if (older.length === 0) {
          historyFetch.current.done = true;
          break;
        }
        merged = ed.withOlderHistory(stateRef.current, older);
      }
      historyFetch.current.busy = false;
      const now = stateRef.current;
      // The Up is carried out only if nothing was typed meanwhile.
      const unchanged = now.text === before.text && now.cursor === before.cursor && now.historyIndex === before.historyIndex;
      setState(unchanged ? ed.moveUp(merged) : merged);
    })();
  };
  const addonProps = props.ctx
    ? {
        text: state.text,
        cursor: state.cursor,
        setText: (t: string, o?: { cursor?: number }) => setState((s) => ed.setText(s, t, o)),
        remember: (t: string) => {
          setState((s) => ({ ...s, history: ed.submitted({ ...s, text: t }).history }));
          props.history?.record(t);
        },
        ctx: props.ctx,
      }
    : null;

  useEffect(() => {
    props.bindSetText?.((t) => setState((s) => ed.setText(s, t)));
  }, [props.bindSetText]);
  const empty = state.text === "" && images.length === 0;
  const isEmpty = () => stateRef.current.text === "" && imagesRef.current.length === 0;
  useEffect(() => props.onEmptyChange?.(empty), [empty]);

  const submit = () => {
    let current = stateRef.current;
    const images = imagesRef.current;
    // A trailing backslash continues on a new line instead of sending.
    if (current.text.endsWith("\\") && current.cursor === current.text.length) {
      setState(ed.insertText(ed.backspace(current), "\n"));
      return;
    }
    const text = ed.expandedText(current);
    if (text.trim() === "" && images.length === 0) return;
    // A typed (or dropped) path of an image file, alone on the line: attach it instead of sending.
    const typedImage = imagePathOf(text, props.cwd);
    if (typedImage) {
      setImages((list) => [...list, typedImage]);
      setState(ed.cleared(current));
      return;
    }
    props.onSubmit({ text, typed: current.text, images });
    current = ed.submitted(current);
    setState(current);
    setImages(() => []);
  };

  const handle = (key: KeyEvent): boolean => {
    // Keys of one input chunk arrive before a re-render: addons see the text as it is now, not as last drawn.
    // While a recalled prompt shows, popups stay closed (a recalled `/model` must not take Up from the history).
    const browsing = stateRef.current.historyIndex !== null;
    const live = addonProps && !browsing ? { ...addonProps, text: stateRef.current.text, cursor: stateRef.current.cursor } : null;
    if (live) for (const addon of props.addons ?? []) if (addon.onKey?.(key, live)) return true;
    switch (key.type) {
      case "text": {
        setState((s) => ed.insertText(s, key.text));
        return true;
      }
      case "paste": {
        const image = imagePathOf(key.text, props.cwd);
        if (image) setImages((list) => [...list, image]);
        else setState((s) => ed.pasteText(s, key.text));
        return true;
      }
      case "key":
        switch (key.name) {
          case "enter":
            submit();
            return true;
          case "newline":
            setState((s) => ed.insertText(s, "\n"));
            return true;
          case "backspace":
            if (stateRef.current.text === "" && imagesRef.current.length > 0) setImages((list) => list.slice(0, -1));
            else setState(ed.backspace);
            return true;
          case "delete":
            setState(ed.deleteForward);
            return true;
          case "left":
            setState(ed.moveLeft);
            return true;
          case "right":
            setState(ed.moveRight);
            return true;
          case "home":
            setState(ed.moveLineStart);
            return true;
          case "end":
            setState(ed.moveLineEnd);
            return true;
          case "up":
            moveUp();
            return true;
          case "down":
            setState(ed.moveDown);
            return true;
          default:
            return false;
        }
      case "ctrl":
        switch (key.letter) {
          case "a":
            setState(ed.moveLineStart);
            return true;
          case "e":
            setState(ed.moveLineEnd);
            return true;
          case "b":
            setState(ed.moveLeft);
            return true;
          case "f":
            setState(ed.moveRight);
            return true;
          case "u":
            setState(ed.deleteToLineStart);
            return true;
          case "k":
            setState(ed.deleteToLineEnd);
            return true;
          case "w":
            setState(ed.deleteWordBack);
            return true;
          case "p":
            moveUp();
            return true;
          case "n":
            setState(ed.moveDown);
            return true;
          case "c":
            if (isEmpty()) return false;
            setState(ed.cleared);
            setImages(() => []);
            return true;
          case "d":
            if (isEmpty()) return false;
            setState(ed.deleteForward);
            return true;
          default:
            return false;
        }
      default:
        return false;
    }
  };
  useKeyHandler(handle, { active: props.active ?? true, priority: KEY_PRIORITY.composer });

  const lines = state.text.split("\n");
  let offset = 0;
  return (
    <Box flexDirection="column">
      {addonProps && state.historyIndex === null ? (props.addons ?? []).map((a) => (a.render ? <Box key={a.id}>{a.render(addonProps)}</Box> : null)) : null}
      {images.length > 0 ? (
        <Box>
          <Text color={color("cyan")}>{images.map((p) => `[image: ${path.basename(p)}]`).join(" ")}</Text>
        </Box>
      ) : null}
      <Box borderStyle="single" borderLeft={false} borderRight={false} borderDimColor flexDirection="column">
        {lines.map((line, i) => {
          const start = offset;
          offset += line.length + 1;
          const hasCursor = state.cursor >= start && state.cursor <= start + line.length;
          const col = state.cursor - start;
          return (
            <Box key={i}>
              <Text bold color={color("cyan")}>{i === 0 ? "› " : "  "}</Text>
              <Box flexGrow={1}>
                {state.text === "" && i === 0 ? (
                  <Text>
                    <Text inverse> </Text>
                    <Text dimColor>{props.placeholder ?? "Ask Codex to do anything"}</Text>
                  </Text>
                ) : hasCursor && (props.active ?? true) ? (
                  <Text>
                    {line.slice(0, col)}
                    <Text inverse>{line.slice(col, col + 1) || " "}</Text>
                    {line.slice(col + 1)}
                  </Text>
                ) : (
                  <Text>{line === "" ? " " : line}</Text>
                )}
              </Box>
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}
