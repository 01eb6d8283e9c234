/**
 * A command word and the option after it: "cp -p", "command -p", "git commit --amend" (its last two
 * words). The option's letters are too short to count as a word; corpus retrieval and the offline
 * writer both read the pair as one name, "command -p". Groups: the command, the option.
 */
export const COMMAND_OPTION =
  /(?<![\p{L}\p{N}_.'’/-])([a-z][a-z0-9+]{1,15}) (-{1,2}[A-Za-z][\w-]*)(?![\w-])/gu;
