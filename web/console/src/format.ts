/** Display helpers shared by console components. */

/** Anonymous widget contacts have an empty name: show "Customer 3f2a9c" rather than nothing. */
export function contactLabel(contact: { id: string; name: string }, fallback: string): string {
  return contact.name.trim() || `${fallback} ${contact.id.replace(/-/g, '').slice(0, 6)}`
}
