/** Locale-aware formatting of dates, ages and sizes. */
import type { Language } from './api';

const LOCALES: Record<Language, string> = { fr: 'fr-FR', en: 'en-GB' };

/** Parses `YYYY-MM-DD` (or the date part of a date-time) as a local calendar date. */
export function parseDate(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDate(value: string, language: Language): string {
  const date = parseDate(value);
  if (!date) return value;
  return new Intl.DateTimeFormat(LOCALES[language], { day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

export function formatDateTime(value: string, language: Language): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Whole months between `birth` and `at`, counting a month only once its day is reached. */
export function ageInMonths(birth: string, at: Date): number | null {
  const born = parseDate(birth);
  if (!born) return null;
  let months = (at.getFullYear() - born.getFullYear()) * 12 + (at.getMonth() - born.getMonth());
  if (at.getDate() < born.getDate()) months -= 1;
  return months;
}

/** Splits an age the way people say it: in months before two years, then in years. */
export function ageParts(birth: string, at: Date): { unit: 'months' | 'years'; count: number } | null {
  const months = ageInMonths(birth, at);
  if (months === null || months < 0) return null;
  return months < 24 ? { unit: 'months', count: months } : { unit: 'years', count: Math.floor(months / 12) };
}

export function formatSize(bytes: number, language: Language): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const number = new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: digits }).format(value);
  const label = language === 'fr' ? ['o', 'ko', 'Mo', 'Go'][unit] : units[unit];
  return `${number}\u00a0${label}`;
}

export function formatNumber(value: number, language: Language, digits = 1): string {
  return new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: digits }).format(value);
}

/** `YYYY-MM-DD` of a local date. */
export function isoDate(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}
