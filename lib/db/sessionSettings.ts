// The SQL*Plus settings the sqlplus session relies on, sent right after start. A site profile
// ($ORACLE_HOME/sqlplus/admin/glogin.sql) runs before any of them and may set anything: each
// setting that changes what a statement does or prints is set back here (SQL*Plus 19c User's
// Guide, SET command reference). Only settings SQL*Plus 19c accepts: an unknown one would print
// SP2-0158 and stop the tool at start.
export const SESSION_SETTINGS: readonly string[] = [
  // '&' in a tablespace name or a path is text: with DEFINE on, `"R&D"` asks for a value of D and
  // takes the NEXT input line (our PROMPT marker) as the answer, and the session hangs.
  'SET DEFINE OFF',
  'SET ESCAPE OFF',
  // Nothing may wait for a key, be hidden, or echo old and new values of a SET.
  'SET PAUSE OFF',
  'SET TERMOUT ON',
  'SET SHOWMODE OFF',
  'SET ECHO OFF',
  'SET VERIFY OFF',
  // No extra lines after a statement: "n rows selected.", "Elapsed: ...", DBMS_OUTPUT, plans.
  'SET FEEDBACK OFF',
  'SET TIMING OFF',
  'SET SERVEROUTPUT OFF',
  'SET AUTOTRACE OFF',
  'SET FLAGGER OFF',
  // Statements are sent as written (SQLCASE UPPER would change quoted names and paths) and end at ';'.
  'SET SQLCASE MIXED',
  'SET SQLTERMINATOR ON',
  'SET SQLBLANKLINES OFF',
  'SET CMDSEP OFF',
  // One CSV line per row, nothing else: no headings, page breaks, record separators or wrapping.
  'SET HEADING OFF',
  'SET PAGESIZE 0',
  'SET RECSEP OFF',
  'SET LINESIZE 32767',
  'SET WRAP ON',
  'SET TRIMOUT ON',
  'SET TRIMSPOOL ON',
  'SET TAB OFF',
  "SET COLSEP ' '",
  "SET NULL ''",
  'SET MARKUP HTML OFF',
  'SET MARKUP CSV ON QUOTE ON',
  'CLEAR COLUMNS',
  'CLEAR BREAKS',
  'CLEAR COMPUTES',
  'TTITLE OFF',
  'BTITLE OFF',
  'REPHEADER OFF',
  'REPFOOTER OFF',
  // A failing statement must not end the session: errors are read from the output instead.
  'WHENEVER SQLERROR CONTINUE',
  'WHENEVER OSERROR CONTINUE',
];
