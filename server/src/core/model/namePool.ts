/**
 * One string object per distinct chain name of a document. Every chain check looks names up
 * in maps and sets; 100k separate copies of the same names each have to be hashed and
 * compared character by character, reading them from all over the heap. Interned while the
 * line is being parsed, a name is hashed once and later lookups compare one object.
 */
export class NamePool {
  private readonly names = new Map<string, string>();

  intern(name: string): string {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    this.names.set(name, name);
    return name;
  }
}
