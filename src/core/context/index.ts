export { BASE_INSTRUCTIONS } from "./base-instructions.js";
export {
  loadProjectDocs,
  agentsMdMessageText,
  AGENTS_MD,
  AGENTS_OVERRIDE_MD,
  PROJECT_DOC_SEPARATOR,
  type LoadProjectDocsOptions,
  type ProjectDocs,
} from "./project-docs.js";
export {
  environmentContextXml,
  filesystemXml,
  localDate,
  localTimezone,
  type EnvironmentContextOptions,
} from "./environment-context.js";
export { permissionsText } from "./permissions-text.js";
export {
  buildInitialContext,
  initialContextItems,
  newMessageId,
  type BuildInitialContextOptions,
  type InitialContextParts,
} from "./initial-context.js";
export {
  ImageInputError,
  imageProblemWarning,
  inspectLocalImage,
  readImageAsDataUrl,
  UNDECODABLE_IMAGE_NOTE,
  userMessageItem,
  type ReadImage,
  type UserMessageOptions,
} from "./user-message.js";
export { isInjectedContextMessage, isInjectedContextText, userPromptText, INJECTED_MARKERS } from "./injected-context.js";
