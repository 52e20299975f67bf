/**
 * Text made safe inside HTML, in element content and in quoted attribute values alike: the five
 * characters that could end either (`&`, `<`, `>`, `"`, `'`) become character references.
 */
const REFERENCES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => REFERENCES[char] ?? char);
}
