/**
 * `discord-api-spec/zod` points its `types` at its own JavaScript file, which TypeScript cannot
 * read without `allowJs`. Its exports are zod-mini schemas named `<Type>Schema`, plus
 * `setStrictObject`; the judge looks schemas up by name and checks each is a zod schema.
 */
declare module 'discord-api-spec/zod' {
  export function setStrictObject(strict: boolean): void;
}
