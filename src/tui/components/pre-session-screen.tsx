// A screen shown on its own before the session opens (the trust question, the session picker) until the person
// answers it. Drawn in ink's live region only and erased when answered, so it leaves nothing in the scrollback
// above the session, as the reference 0.169's own screens (which go with its alternate screen) leave nothing.
import { render } from "ink";
import type { ReactElement } from "react";
import { KeyRouter } from "./key-router.js";

export interface PreSessionIo {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/** Renders `screen(answer)` until `answer` is first called; resolves with that answer once the screen is erased. */
export function showUntilAnswered<T>(screen: (answer: (value: T) => void) => ReactElement, io: PreSessionIo = {}): Promise<T> {
  return new Promise<T>((resolve) => {
    let done = false;
    const answer = (value: T): void => {
      if (done) return;
      done = true;
      // An empty last frame: ink erases the lines it drew, a frame still pending (a moved highlight) included.
      app.rerender(<></>);
      app.unmount();
      resolve(value);
    };
    const app = render(<KeyRouter>{screen(answer)}</KeyRouter>, {
      exitOnCtrlC: false,
      ...(io.stdin ? { stdin: io.stdin } : {}),
      ...(io.stdout ? { stdout: io.stdout } : {}),
    });
  });
}
