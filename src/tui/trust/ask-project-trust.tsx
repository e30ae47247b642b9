// Asks the trust question core says is due, before the app starts (the session's config is loaded afterwards,
// so a trusted project's own layer applies), and records the answer through core/startup.
import { render } from "ink";
import type { TrustQuestion } from "../../core/startup.js";
import { KeyRouter } from "../components/key-router.js";
import type { TuiStartup } from "../tui-args.js";
import { TrustPrompt, type TrustAnswer } from "./trust-prompt.js";

export type TrustOutcome = "trusted" | "declined" | "quit";

export async function askProjectTrust(
  trust: Pick<TuiStartup, "acceptProjectTrust" | "declineProjectTrust">,
  o: { question: TrustQuestion; codexHome: string },
  io: { stdin?: NodeJS.ReadStream; stdout?: NodeJS.WriteStream } = {},
): Promise<TrustOutcome> {
  const { question, codexHome } = o;
  const answer = await new Promise<TrustAnswer>((resolve) => {
    let done = false;
    const app = render(
      <KeyRouter>
        <TrustPrompt
        question={question}
        onAnswer={(a) => {
          if (done) return;
          done = true;
          app.unmount();
          resolve(a);
        }}
        />
      </KeyRouter>,
      { exitOnCtrlC: false, ...(io.stdin ? { stdin: io.stdin } : {}), ...(io.stdout ? { stdout: io.stdout } : {}) },
    );
  });
  if (answer === "quit") return "quit";
  if (answer === "trust") {
    await trust.acceptProjectTrust({ codexHome, root: question.root });
    return "trusted";
  }
  await trust.declineProjectTrust({ codexHome, root: question.root });
  return "declined";
}
