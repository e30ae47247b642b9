/**
 * Lark grammar sent with the freeform `apply_patch` tool so constrained decoding only produces
 * well-formed patches. Our own formulation of the grammar in the apply_patch spec §2.
 */
export const APPLY_PATCH_LARK_GRAMMAR = String.raw`start: begin_marker file_op+ end_marker
begin_marker: "*** Begin Patch" NL
end_marker: "*** End Patch" NL?

file_op: add_op | delete_op | update_op

add_op: "*** Add File: " path NL added_line*
delete_op: "*** Delete File: " path NL
update_op: "*** Update File: " path NL move_target? hunk+

move_target: "*** Move to: " path NL
hunk: scope_line* body_line+ end_of_file?
scope_line: "@@" NL | "@@ " TEXT NL
body_line: (" " | "+" | "-") TEXT? NL
added_line: "+" TEXT? NL
end_of_file: "*** End of File" NL

path: /[^\r\n]+/
TEXT: /[^\r\n]+/
NL: /\r?\n/
`;
