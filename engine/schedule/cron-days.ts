// Which calendar days a parsed cron expression allows: node-cron's day-of-month and
// day-of-week tokens (numbers, L, L-n, nW, LW, nL, n#k), with its AND of the two fields.
export interface DayFields {
  dayOfMonth: readonly (number | string)[];
  dayOfWeek: readonly (number | string)[];
}

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** The weekday (Mon–Fri) nearest to `target` within the month, as cron's W means it. */
function nearestWeekday(year: number, month: number, target: number): number {
  const last = lastDay(year, month);
  if (target < 1 || target > last) return -1;
  const wd = weekday(year, month, target);
  if (wd === 6) return target === 1 ? 3 : target - 1;
  if (wd === 0) return target === last ? target - 2 : target + 1;
  return target;
}

function matchesDayOfMonth(field: DayFields['dayOfMonth'], year: number, month: number, day: number): boolean {
  for (const value of field) {
    if (value === day) return true;
    if (typeof value !== 'string') continue;
    if (value === 'L' && day === lastDay(year, month)) return true;
    const w = /^(\d{1,2}|L)W$/.exec(value);
    if (w && nearestWeekday(year, month, w[1] === 'L' ? lastDay(year, month) : Number(w[1])) === day) return true;
    const fromEnd = /^L-(\d{1,2})$/.exec(value);
    if (fromEnd && lastDay(year, month) - Number(fromEnd[1]) === day) return true;
  }
  return false;
}

function matchesDayOfWeek(field: DayFields['dayOfWeek'], year: number, month: number, day: number): boolean {
  const wd = weekday(year, month, day);
  for (const value of field) {
    if (value === wd) return true;
    if (typeof value !== 'string') continue;
    const nth = /^([0-7])#([1-5])$/.exec(value);
    if (nth && Number(nth[1]) % 7 === wd && Math.floor((day - 1) / 7) + 1 === Number(nth[2])) return true;
    const last = /^([0-7])L$/i.exec(value);
    if (last && Number(last[1]) % 7 === wd && day + 7 > lastDay(year, month)) return true;
  }
  return false;
}

export function matchesDay(fields: DayFields, year: number, month: number, day: number): boolean {
  return matchesDayOfMonth(fields.dayOfMonth, year, month, day) && matchesDayOfWeek(fields.dayOfWeek, year, month, day);
}
