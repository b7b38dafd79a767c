/** What no message to a caller may hold: SQL, a PostgreSQL error's words, a stack frame. */
export const INTERNALS =
  /\b(select|insert into|update \w+ set|delete from|returning)\b|invalid byte sequence|unsupported Unicode escape|out of range|syntax for type|\bat \S+:\d+:\d+|node_modules/i;
