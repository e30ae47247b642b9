// A numbered choice list shown as an overlay (the /model, effort, /approvals and /experimental pickers):
// ↑/↓ or a digit moves, Enter chooses, Esc closes; extra keys (`s` for "this session only"...) can be bound.
// Open it with openListOverlay(ctx, {...}); the callbacks run with the chosen item.
import { Box, Text } from "ink";
import { useRef, useState } from "react";
import { useKeyHandler } from "../../components/key-router.js";
import type { OverlayRenderer, SlashContext } from "../registry.js";
import { useColor } from "../../components/theme.js";

export const LIST_OVERLAY_ID = "tuicmds.list";

export interface ListItem {
  label: string;
  description?: string;
  /** Marked "(current)". */
  current?: boolean;
}

export interface ListOverlayProps {
  title: string;
  subtitle?: string;
  items: ListItem[];
  initial?: number;
  /** e.g. "enter select · esc back". */
  footer: string;
  onChoose(index: number): void;
  /** Other keys: letter -> action on the highlighted item. */
  extraKeys?: Record<string, (index: number) => void>;
  onCancel?(): void;
}

export function openListOverlay(ctx: SlashContext, props: ListOverlayProps): void {
  ctx.openOverlay({ id: LIST_OVERLAY_ID, props: props as unknown as Record<string, unknown> });
}

export const listOverlayRenderer: OverlayRenderer = {
  id: LIST_OVERLAY_ID,
  render: ({ overlay, ctx }) => <ListOverlay key={String((overlay.props as unknown as ListOverlayProps).title)} {...(overlay.props as unknown as ListOverlayProps)} ctx={ctx} />,
};

function ListOverlay(p: ListOverlayProps & { ctx: SlashContext }) {
  const color = useColor();
  const [selected, setSelectedState] = useState(() => p.initial ?? Math.max(0, p.items.findIndex((i) => i.current)));
  const current = useRef(selected);
  const setSelected = (n: number) => {
    current.current = Math.max(0, Math.min(p.items.length - 1, n));
    setSelectedState(current.current);
  };
  useKeyHandler((key) => {
    if (key.type === "key") {
      if (key.name === "up") setSelected(current.current - 1);
      else if (key.name === "down") setSelected(current.current + 1);
      else if (key.name === "enter") {
        p.ctx.closeOverlay(LIST_OVERLAY_ID);
        p.onChoose(current.current);
      } else if (key.name === "escape") {
        p.ctx.closeOverlay(LIST_OVERLAY_ID);
        p.onCancel?.();
      } else return false;
      return true;
    }
    if (key.type === "text") {
      const digit = Number(key.text);
      if (/^[1-9]$/.test(key.text) && digit <= p.items.length) {
        setSelected(digit - 1);
        return true;
      }
      const extra = p.extraKeys?.[key.text];
      if (extra) {
        p.ctx.closeOverlay(LIST_OVERLAY_ID);
        extra(current.current);
      }
      return true;
    }
    return key.type !== "ctrl";
  });
  const labelWidth = Math.max(...p.items.map((i, n) => `${n + 1}. ${i.label}${i.current ? " (current)" : ""}`.length));
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold>{p.title}</Text>
      {p.subtitle ? <Text dimColor>{p.subtitle}</Text> : null}
      {p.items.map((item, n) => {
        const label = `${n + 1}. ${item.label}${item.current ? " (current)" : ""}`.padEnd(labelWidth);
        const text = `${n === selected ? "›" : " "} ${label}${item.description ? `  ${item.description}` : ""}`;
        return n === selected ? (
          <Text key={n} color={color("cyan")} wrap="truncate-end">
            {text}
          </Text>
        ) : (
          <Text key={n} wrap="truncate-end">
            {text}
          </Text>
        );
      })}
      <Text dimColor>{p.footer}</Text>
    </Box>
  );
}
