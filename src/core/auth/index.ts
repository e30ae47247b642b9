export { AuthFile, authFilePath, readAuthFile, writeAuthFile } from "./auth-file.js";
export {
  loginStatus,
  logout,
  maskApiKey,
  missingKeyMessage,
  providerNeedsKey,
  resolveApiKey,
  resolveApiKeyWithSource,
  type ResolvedApiKey,
  saveApiKey,
} from "./api-key.js";
export { REDACTED, redactSecrets } from "../../util/secret-redactor.js";
export { readAccountState, type AccountState, type AccountView } from "./account.js";
