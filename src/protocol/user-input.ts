// The model's questions to the person (the `request_user_input` tool) and the person's answers, as core
// events and ops carry them. Front ends map them to their own wire (app-server `item/tool/requestUserInput`).

export interface UserInputOption {
  label: string;
  description: string;
}

export interface UserInputQuestion {
  /** Stable id the answer is keyed by. */
  id: string;
  /** Short label shown above the question. */
  header: string;
  question: string;
  /** A free-form answer is allowed besides the options (always true for the model's questions). */
  isOther: boolean;
  /** The answer should not be echoed (a front end masks what is typed). */
  isSecret: boolean;
  options: UserInputOption[] | null;
}

/** Answers by question id; each answer is a list (the chosen label, then `user_note: <text>` for notes). */
export interface UserInputResponse {
  answers: Record<string, { answers: string[] }>;
}
