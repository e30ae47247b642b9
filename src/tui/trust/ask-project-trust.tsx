// Asks the trust question core says is due, before the app starts (the session's config is loaded afterwards,
// so a trusted project's own layer applies), and records the answer through core/startup.
import type { TrustQuestion } from "../../core/startup.js";
import { showUntilAnswered, type PreSessionIo } from "../components/pre-session-screen.js";
import type { TuiStartup } from "../tui-args.js";
import { TrustPrompt, type TrustAnswer } from "./trust-prompt.js";

export type TrustOutcome = "trusted" | "declined" | "quit";

export async function askProjectTrust(
  trust: Pick<TuiStartup, "acceptProjectTrust" | "declineProjectTrust">,
  o: { question: TrustQuestion; codexHome: string },
  io: PreSessionIo = {},
): Promise<TrustOutcome> {
  const { question, codexHome } = o;
  const answer = await showUntilAnswered<TrustAnswer>((onAnswer) => <TrustPrompt question={question} onAnswer={onAnswer} />, io);
  if (answer === "quit") return "quit";
  if (answer === "trust") {
    await trust.acceptProjectTrust({ codexHome, root: question.root });
    return "trusted";
  }
  await trust.declineProjectTrust({ codexHome, root: question.root });
  return "declined";
}
