// Runs the trust question before the app starts (the config is loaded again afterwards when the answer was
// "trust", so the project's own layer applies): nothing is asked when core says no question is due.
import { render } from "ink";
import type { ResolvedConfig } from "../../core/index.js";
import { KeyRouter } from "../components/key-router.js";
import type { TuiCore } from "../tui-args.js";
import { TrustPrompt, type TrustAnswer } from "./trust-prompt.js";

export type TrustOutcome = "not_asked" | "trusted" | "declined" | "quit";

export async function askProjectTrust(
  core: Pick<TuiCore, "acceptProjectTrust" | "declineProjectTrust" | "projectTrustQuestion">,
  config: Pick<ResolvedConfig, "cwd" | "codexHome" | "raw">,
  io: { stdin?: NodeJS.ReadStream; stdout?: NodeJS.WriteStream } = {},
): Promise<TrustOutcome> {
  const question = await core.projectTrustQuestion(config);
  if (question === null) return "not_asked";
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
    await core.acceptProjectTrust({ codexHome: config.codexHome, root: question.root });
    return "trusted";
  }
  await core.declineProjectTrust({ codexHome: config.codexHome, root: question.root });
  return "declined";
}
