import { Box, Text } from "ink";
import { Lexer, type Token, type Tokens } from "marked";
import { useMemo, type ReactNode } from "react";
import { useTheme, type Theme } from "../components/theme.js";

// Markdown -> ink elements: marked's lexer, then one small renderer per token kind.

export function Markdown({ text }: { text: string }) {
  const theme = useTheme();
  const tokens = useMemo(() => new Lexer({ gfm: true }).lex(text), [text]);
  return <Box flexDirection="column">{blocks(tokens, theme)}</Box>;
}

function blocks(tokens: Token[], theme: Theme): ReactNode[] {
  const out: ReactNode[] = [];
  tokens.forEach((t, i) => {
    const node = block(t, theme, i);
    if (node !== null) out.push(node);
  });
  return out;
}

function block(t: Token, theme: Theme, key: number): ReactNode {
  const color = (c: string) => (theme.color ? c : undefined);
  switch (t.type) {
    case "space":
      return null;
    case "heading": {
      const h = t as Tokens.Heading;
      return (
        <Box key={key} marginTop={key === 0 ? 0 : 1}>
          <Text bold underline={h.depth === 1} color={h.depth <= 2 ? color("cyan") : undefined}>
            {inline(h.tokens, theme)}
          </Text>
        </Box>
      );
    }
    case "paragraph":
      return (
        <Box key={key} marginTop={key === 0 ? 0 : 1}>
          <Text>{inline((t as Tokens.Paragraph).tokens, theme)}</Text>
        </Box>
      );
    case "text": {
      const tt = t as Tokens.Text;
      return (
        <Box key={key}>
          <Text>{tt.tokens ? inline(tt.tokens, theme) : tt.text}</Text>
        </Box>
      );
    }
    case "code":
      return <CodeBlock key={key} token={t as Tokens.Code} theme={theme} first={key === 0} />;
    case "blockquote":
      return (
        <Box key={key} marginTop={key === 0 ? 0 : 1}>
          <Text color={color("green")}>{"▌ "}</Text>
          <Box flexDirection="column" flexGrow={1}>
            {blocks((t as Tokens.Blockquote).tokens, theme)}
          </Box>
        </Box>
      );
    case "list":
      return <List key={key} token={t as Tokens.List} theme={theme} first={key === 0} />;
    case "table":
      return <Table key={key} token={t as Tokens.Table} first={key === 0} />;
    case "hr":
      return (
        <Box key={key}>
          <Text dimColor>{"———"}</Text>
        </Box>
      );
    case "html":
      return (
        <Box key={key}>
          <Text>{(t as Tokens.HTML).text.replace(/\n$/, "")}</Text>
        </Box>
      );
    case "def":
      return null;
    default:
      return "raw" in t && typeof t.raw === "string" ? (
        <Box key={key}>
          <Text>{t.raw.replace(/\n$/, "")}</Text>
        </Box>
      ) : null;
  }
}

function CodeBlock({ token, theme, first }: { token: Tokens.Code; theme: Theme; first: boolean }) {
  const lang = (token.lang ?? "").split(/\s/)[0] ?? "";
  const code = token.text;
  const shown = theme.color && theme.highlight && lang ? theme.highlight(code, lang) : code;
  return (
    <Box marginTop={first ? 0 : 1} flexDirection="column">
      {lang ? <Text dimColor>{lang}</Text> : null}
      <Text>{shown}</Text>
    </Box>
  );
}

function List({ token, theme, first }: { token: Tokens.List; theme: Theme; first: boolean }) {
  const start = typeof token.start === "number" ? token.start : 1;
  return (
    <Box flexDirection="column" marginTop={first ? 0 : 1}>
      {token.items.map((item, i) => {
        const bullet = item.task ? (item.checked ? "✔ " : "□ ") : token.ordered ? `${start + i}. ` : "- ";
        return (
          <Box key={i}>
            <Text dimColor={!token.ordered}>{bullet}</Text>
            <Box flexDirection="column" flexGrow={1}>
              {blocks(item.tokens.filter((t) => t.type !== "checkbox"), theme)}
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}

function Table({ token, first }: { token: Tokens.Table; first: boolean }) {
  const rows = [token.header.map((c) => c.text), ...token.rows.map((r) => r.map((c) => c.text))];
  const widths = token.header.map((_, col) => Math.max(3, ...rows.map((r) => [...(r[col] ?? "")].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, col) => {
        const w = widths[col] ?? 3;
        const pad = w - [...c].length;
        const align = token.align[col];
        if (align === "right") return " ".repeat(pad) + c;
        if (align === "center") return " ".repeat(Math.floor(pad / 2)) + c + " ".repeat(Math.ceil(pad / 2));
        return c + " ".repeat(pad);
      })
      .join(" │ ");
  return (
    <Box flexDirection="column" marginTop={first ? 0 : 1}>
      <Text bold>{line(rows[0]!)}</Text>
      <Text dimColor>{widths.map((w) => "─".repeat(w)).join("─┼─")}</Text>
      {rows.slice(1).map((r, i) => (
        <Text key={i}>{line(r)}</Text>
      ))}
    </Box>
  );
}

function inline(tokens: Token[] | undefined, theme: Theme): ReactNode[] {
  if (!tokens) return [];
  const color = (c: string) => (theme.color ? c : undefined);
  return tokens.map((t, i): ReactNode => {
    switch (t.type) {
      case "strong":
        return (
          <Text key={i} bold>
            {inline((t as Tokens.Strong).tokens, theme)}
          </Text>
        );
      case "em":
        return (
          <Text key={i} italic>
            {inline((t as Tokens.Em).tokens, theme)}
          </Text>
        );
      case "del":
        return (
          <Text key={i} strikethrough>
            {inline((t as Tokens.Del).tokens, theme)}
          </Text>
        );
      case "codespan":
        return (
          <Text key={i} color={color("cyan")}>
            {unescapeHtml((t as Tokens.Codespan).text)}
          </Text>
        );
      case "link": {
        const l = t as Tokens.Link;
        const label = l.tokens.map((x) => ("text" in x ? String(x.text) : x.raw)).join("");
        return (
          <Text key={i}>
            <Text underline color={color("cyan")}>
              {unescapeHtml(label)}
            </Text>
            {label !== l.href && `mailto:${label}` !== l.href ? <Text dimColor>{` (${l.href})`}</Text> : null}
          </Text>
        );
      }
      case "image": {
        const im = t as Tokens.Image;
        return <Text key={i}>{`[image: ${im.text || im.href}]`}</Text>;
      }
      case "br":
        return <Text key={i}>{"\n"}</Text>;
      case "text": {
        const tt = t as Tokens.Text;
        return <Text key={i}>{tt.tokens ? inline(tt.tokens, theme) : unescapeHtml(tt.text)}</Text>;
      }
      case "escape":
        return <Text key={i}>{(t as Tokens.Escape).text}</Text>;
      default:
        return <Text key={i}>{unescapeHtml("text" in t && typeof t.text === "string" ? t.text : t.raw)}</Text>;
    }
  });
}

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m);
}
