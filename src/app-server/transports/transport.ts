// A transport carries one connection's messages as text frames (a line on stdio/unix, a message on ws).

export interface Transport {
  /** Writes one frame (one JSON object, no trailing newline). */
  send(frame: string): void;
  /** Bytes handed to the transport that the peer has not read yet. */
  bufferedBytes(): number;
  /** Ends the connection (the peer's onClose then runs once). */
  close(): void;
  /** For log lines: `stdio`, `unix:/path`, `ws:127.0.0.1:port`. */
  readonly label: string;
}

/** The server side of one connection, driven by the transport. */
export interface ConnectionPeer {
  onFrame(frame: string): void;
  onClose(): void;
}

export type AcceptConnection = (transport: Transport) => ConnectionPeer;

/** Splits a byte stream into lines (\n, a trailing \r dropped); the last partial line waits for more. */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer | string): void; end(): void } {
  let rest = "";
  return {
    push(chunk) {
      rest += typeof chunk === "string" ? chunk : chunk.toString("utf8");
      let nl = rest.indexOf("\n");
      while (nl >= 0) {
        const line = rest.slice(0, nl).replace(/\r$/, "");
        rest = rest.slice(nl + 1);
        if (line.trim() !== "") onLine(line);
        nl = rest.indexOf("\n");
      }
    },
    end() {
      if (rest.trim() !== "") onLine(rest);
      rest = "";
    },
  };
}
