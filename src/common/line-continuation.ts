/** A line continued on the next by a backslash, as shell commands are ("# echo '…' \"). */
export const CONTINUED_LINE = /\S\s\\\s*$/;
