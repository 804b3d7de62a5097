// Text for a Gmail card widget. TextParagraph and DecoratedText render basic HTML (<b>, <i>, <u>, <s>,
// <font color>, <a href>, <br>), so a sheet cell or an email subject holding "<a href=…>" would show a
// link the user never wrote. Every value set as card text goes through cardText: the three characters
// that start markup or an entity are written as entities, so the card shows the text as it is.
// https://developers.google.com/workspace/add-ons/guides/formatting-text (card text formatting)

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** `text` with &, < and > escaped: shown by a card exactly as written, never as formatting or a link. */
export function cardText(text: string | number): string {
  return String(text).replace(/[&<>]/g, (char) => ENTITIES[char] as string);
}

/** A one-line cut of `text` (whitespace runs made single spaces) to at most `max` characters. */
export function clipText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
