export { gatherReviewDiff, ReviewError, MAX_REVIEW_DIFF_BYTES, type ReviewDiff, type ReviewTarget } from "./git-diff.js";
export { REVIEW_DEVELOPER_INSTRUCTIONS, REVIEW_OUTPUT_SCHEMA, reviewUserMessage } from "./instructions.js";
export { parseReviewOutput, prioritizedFindings, renderReview, ReviewOutput, type ReviewFinding } from "./output.js";
export { prepareReview, type ReviewPlan } from "./prepare.js";
