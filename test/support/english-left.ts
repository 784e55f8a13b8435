// Finds English on a screen that should be in another language: the English catalog's own phrases (where the other
// catalog does not use the same words), and common English words. The text looked at is what a person or a screen
// reader meets: every text node, the names and hints in attributes, and the page's title.
import { ENGLISH } from '../../renderer/src/i18n/catalogs';
import { messageParts } from './icu';

const WORDS = new Set(
  (
    'the and with of to your you this is are not for from by at on in it be was have will or an ' +
    'learner learners profile profiles save cancel settings loading back done yet none here show all active archived ' +
    'sync synced offline email phone name birth goals skills register update delete edit lock unlock open search ' +
    'export import print dashboard conflicts welcome staff help please more other new my'
  ).split(' '),
);

const ATTRIBUTES = ['aria-label', 'title', 'placeholder', 'alt', 'aria-description'];

/** Every string on the page a person or a screen reader meets. */
export function visibleStrings(root: Document = document): string[] {
  const strings = [root.title];
  const walker = root.createTreeWalker(root.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement?.closest('script, style')) continue;
    const text = node.textContent?.trim();
    if (text) strings.push(text);
  }
  for (const element of root.body.querySelectorAll('*')) {
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name)?.trim();
      if (value) strings.push(value);
    }
  }
  return strings;
}

const wholeWords = (phrase: string) => new RegExp(`(?<![\\p{L}])${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}])`, 'u');

/** The English catalog's phrases of some length that the other catalog never uses. */
function englishPhrases(other: Record<string, string>): RegExp[] {
  const theirs = Object.values(other).flatMap((message) => messageParts(message).literals).join('\n');
  const phrases = new Set<string>();
  for (const message of Object.values(ENGLISH)) {
    for (const literal of messageParts(message).literals) {
      const phrase = literal.trim().replace(/^[\s.,:;()—–-]+|[\s.,:;()—–-]+$/g, '');
      if ((phrase.match(/\p{L}/gu) ?? []).length >= 4 && !wholeWords(phrase).test(theirs)) phrases.add(phrase);
    }
  }
  return [...phrases].map(wholeWords);
}

/** What looks English among the strings: each finding names the string and what gave it away. */
export function englishLeft(strings: string[], otherCatalog: Record<string, string>): string[] {
  const phrases = englishPhrases(otherCatalog);
  const findings: string[] = [];
  for (const text of strings) {
    const phrase = phrases.find((pattern) => pattern.test(text));
    if (phrase) findings.push(`${JSON.stringify(text)} (the English catalog's ${phrase.source})`);
    const words = (text.toLowerCase().match(/\p{L}+/gu) ?? []).filter((word) => WORDS.has(word));
    if (words.length > 0) findings.push(`${JSON.stringify(text)} (the English words ${words.join(', ')})`);
  }
  return findings;
}
