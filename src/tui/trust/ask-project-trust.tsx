// Runs the trust question before the app starts (the config is loaded again afterwards when the answer was
// "trust", so the project's own layer applies): nothing is asked when core says no question is due.
import { render } from "ink";
import { acceptProjectTrust, declineProjectTrust, projectTrustQuestion, type ResolvedConfig } from "../../core/index.js";
import { TrustPrompt, type TrustAnswer } from "./trust-prompt.js";

export type TrustOutcome = "not_asked" | "trusted" | "declined" | "quit";

export async function askProjectTrust(
  config: Pick<ResolvedConfig, "cwd" | "codexHome" | "raw">,
  io: { stdin?: NodeJS.ReadStream; stdout?: NodeJS.WriteStream } = {},
): Promise<TrustOutcome> {
  const question = await projectTrustQuestion(config);
  if (question === null) return "not_asked";
  const answer = await new Promise<TrustAnswer>((resolve) => {
    let done = false;
    const app = render(
      <TrustPrompt
        question={question}
        onAnswer={(a) => {
          if (done) return;
          done = true;
          app.unmount();
          resolve(a);
        }}
      />,
      { exitOnCtrlC: false, ...(io.stdin ? { stdin: io.stdin } : {}), ...(io.stdout ? { stdout: io.stdout } : {}) },
    );
  });
  if (answer === "quit") return "quit";
  if (answer === "trust") {
    await acceptProjectTrust({ codexHome: config.codexHome, root: question.root });
    return "trusted";
  }
  await declineProjectTrust({ codexHome: config.codexHome, root: question.root });
  return "declined";
}
