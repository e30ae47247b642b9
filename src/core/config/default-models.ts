// TODO(catalog): switch to DEFAULT_MODEL / DEFAULT_OSS_MODEL from ../model/catalog.js once it lands;
// these mirror the values agreed for it so the loader does not depend on a file still being written.
export const DEFAULT_MODEL = "gpt-5.5";
export const DEFAULT_OSS_MODEL = "gpt-oss:20b";
