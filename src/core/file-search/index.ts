// Fuzzy search over a repository's files (the TUI's `@` mention, app-server fuzzyFileSearch).
export {
  createFileIndex,
  searchFiles,
  type FileIndex,
  type FileIndexOptions,
  type FileMatch,
  type FileMatchType,
  type FileQueryOptions,
  type FileSearchResult,
} from "./file-search.js";
export { createFuzzyMatcher, fuzzyMatch, type FuzzyMatch, type FuzzyMatcher } from "./fuzzy-match.js";
export { listFiles, type FileListing, type ListFilesOptions } from "./list-files.js";
