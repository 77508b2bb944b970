/** The target with any password replaced by "***" (postgres://user:***@host/db). */
export function redact(target: string): string {
  return target.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/, "$1***@");
}
