package dev.towerless.core.schedules;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One RFC 5545 RRULE (or EXRULE) in the subset AWX accepts: FREQ MINUTELY to YEARLY with
 * INTERVAL, COUNT or UNTIL, BYMONTH, BYMONTHDAY, BYDAY (no numeric prefix), BYHOUR, BYMINUTE,
 * BYSECOND, BYSETPOS and WKST. Occurrences are computed in local wall time, as python-dateutil
 * does; turning them into instants (and skipping DST gaps) is {@link Recurrence}'s job.
 *
 * <p>The rule is expanded period by period (a year, a month, a week … from DTSTART, stepping by
 * INTERVAL). Without COUNT a period's occurrences do not depend on earlier periods, so a search
 * can start near the wanted time instead of walking every minute since DTSTART.
 */
final class RecurrenceRule {
    enum Frequency { YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY }

    /** Periods without any occurrence tolerated before a search gives up (e.g. BYMONTHDAY=31;BYMONTH=2). */
    private static final int MAX_EMPTY_PERIODS = 20_000;

    final Frequency frequency;
    final int interval;
    final Integer count;
    /** UNTIL as local wall time of the rule's zone; resolved by {@link Recurrence}. */
    final LocalDateTime untilLocal;
    final boolean untilIsUtc;
    final String untilText;
    private final List<Integer> byMonth;
    private final List<Integer> byMonthDay;
    private final List<DayOfWeek> byDay;
    private final List<Integer> byHour;
    private final List<Integer> byMinute;
    private final List<Integer> bySecond;
    private final List<Integer> bySetPos;
    private final DayOfWeek weekStart;
    private final LocalDateTime start;
    private LocalDateTime until;

    private RecurrenceRule(Map<String, String> parts, LocalDateTime start) {
        this.start = start;
        String freq = parts.get("FREQ");
        if (freq == null) {
            throw new IllegalArgumentException("FREQ is required");
        }
        try {
            this.frequency = Frequency.valueOf(freq);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid 'FREQ': " + freq);
        }
        this.interval = positive(parts.getOrDefault("INTERVAL", "1"), "INTERVAL");
        this.count = parts.containsKey("COUNT") ? positive(parts.get("COUNT"), "COUNT") : null;
        this.untilText = parts.get("UNTIL");
        if (untilText != null) {
            this.untilIsUtc = untilText.endsWith("Z");
            this.untilLocal = Recurrence.parseLocal(untilIsUtc ? untilText.substring(0, untilText.length() - 1) : untilText);
        } else {
            this.untilIsUtc = false;
            this.untilLocal = null;
        }
        this.byMonth = numbers(parts.get("BYMONTH"), "BYMONTH", 1, 12, false);
        this.byMonthDay = numbers(parts.get("BYMONTHDAY"), "BYMONTHDAY", 1, 31, true);
        this.byDay = days(parts.get("BYDAY"));
        this.byHour = numbers(parts.get("BYHOUR"), "BYHOUR", 0, 23, false);
        this.byMinute = numbers(parts.get("BYMINUTE"), "BYMINUTE", 0, 59, false);
        this.bySecond = numbers(parts.get("BYSECOND"), "BYSECOND", 0, 59, false);
        this.bySetPos = numbers(parts.get("BYSETPOS"), "BYSETPOS", 1, 366, true);
        this.weekStart = parts.containsKey("WKST") ? day(parts.get("WKST")) : DayOfWeek.MONDAY;
        for (String unsupported : List.of("BYYEARDAY", "BYWEEKNO", "BYEASTER")) {
            if (parts.containsKey(unsupported)) {
                throw new IllegalArgumentException(unsupported + " not supported");
            }
        }
    }

    /** Parses {@code FREQ=…;INTERVAL=…} (the text after {@code RRULE:}). */
    static RecurrenceRule parse(String body, LocalDateTime start) {
        Map<String, String> parts = new java.util.LinkedHashMap<>();
        for (String part : body.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("unknown parameter '" + part + "'");
            }
            String key = part.substring(0, eq).trim().toUpperCase(Locale.ROOT);
            if (parts.put(key, part.substring(eq + 1).trim().toUpperCase(Locale.ROOT)) != null) {
                throw new IllegalArgumentException(key + " given twice");
            }
        }
        for (String key : parts.keySet()) {
            if (!List.of("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYHOUR", "BYMINUTE",
                    "BYSECOND", "BYSETPOS", "WKST", "BYYEARDAY", "BYWEEKNO", "BYEASTER").contains(key)) {
                throw new IllegalArgumentException("unknown parameter name '" + key + "'");
            }
        }
        return new RecurrenceRule(parts, start);
    }

    /** Sets UNTIL as local wall time once {@link Recurrence} has resolved a UTC UNTIL into the zone. */
    void resolveUntil(LocalDateTime localUntil) {
        this.until = localUntil;
    }

    boolean bounded() {
        return count != null || until != null;
    }

    /** The first occurrence at or after {@code from} (local time), if any. */
    Optional<LocalDateTime> firstAtOrAfter(LocalDateTime from) {
        long period = count == null ? Math.max(0, periodIndexOf(from) - 1) : 0;
        int emitted = 0;
        int empty = 0;
        for (; empty < MAX_EMPTY_PERIODS; period++) {
            List<LocalDateTime> occurrences = occurrencesIn(period);
            if (occurrences.isEmpty()) {
                if (periodStart(period).isAfter(limit())) {
                    return Optional.empty();
                }
                empty++;
                continue;
            }
            empty = 0;
            for (LocalDateTime o : occurrences) {
                if (until != null && o.isAfter(until)) {
                    return Optional.empty();
                }
                emitted++;
                if (!o.isBefore(from)) {
                    return Optional.of(o);
                }
                if (count != null && emitted >= count) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The last occurrence of a bounded rule (COUNT or UNTIL), if it has any. */
    Optional<LocalDateTime> last() {
        if (count != null) {
            LocalDateTime last = null;
            int emitted = 0;
            int empty = 0;
            for (long period = 0; emitted < count && empty < MAX_EMPTY_PERIODS; period++) {
                List<LocalDateTime> occurrences = occurrencesIn(period);
                empty = occurrences.isEmpty() ? empty + 1 : 0;
                for (LocalDateTime o : occurrences) {
                    if (emitted++ >= count) {
                        break;
                    }
                    last = o;
                }
            }
            return Optional.ofNullable(last);
        }
        if (until == null || until.isBefore(start)) {
            return Optional.empty();
        }
        // Walk back from the period holding UNTIL to the nearest one with an occurrence.
        for (long period = periodIndexOf(until), empty = 0; period >= 0 && empty < MAX_EMPTY_PERIODS; period--, empty++) {
            List<LocalDateTime> occurrences = occurrencesIn(period);
            for (int i = occurrences.size() - 1; i >= 0; i--) {
                if (!occurrences.get(i).isAfter(until)) {
                    return Optional.of(occurrences.get(i));
                }
            }
        }
        return Optional.empty();
    }

    private LocalDateTime limit() {
        return until != null ? until : LocalDateTime.MAX;
    }

    /** Which INTERVAL-step period (0 = the one holding DTSTART) contains {@code t}. */
    private long periodIndexOf(LocalDateTime t) {
        if (!t.isAfter(start)) {
            return 0;
        }
        long units = switch (frequency) {
            case YEARLY -> t.getYear() - start.getYear();
            case MONTHLY -> ChronoUnit.MONTHS.between(YearMonth.from(start), YearMonth.from(t));
            case WEEKLY -> ChronoUnit.WEEKS.between(weekOf(start.toLocalDate()), weekOf(t.toLocalDate()));
            case DAILY -> ChronoUnit.DAYS.between(start.toLocalDate(), t.toLocalDate());
            case HOURLY -> ChronoUnit.HOURS.between(start.truncatedTo(ChronoUnit.HOURS), t.truncatedTo(ChronoUnit.HOURS));
            case MINUTELY -> ChronoUnit.MINUTES.between(start.truncatedTo(ChronoUnit.MINUTES), t.truncatedTo(ChronoUnit.MINUTES));
        };
        return units / interval;
    }

    private LocalDate weekOf(LocalDate d) {
        return d.with(TemporalAdjusters.previousOrSame(weekStart));
    }

    private LocalDateTime periodStart(long period) {
        long n = period * interval;
        return switch (frequency) {
            case YEARLY -> LocalDate.of(start.getYear(), 1, 1).plusYears(n).atStartOfDay();
            case MONTHLY -> YearMonth.from(start).plusMonths(n).atDay(1).atStartOfDay();
            case WEEKLY -> weekOf(start.toLocalDate()).plusWeeks(n).atStartOfDay();
            case DAILY -> start.toLocalDate().plusDays(n).atStartOfDay();
            case HOURLY -> start.truncatedTo(ChronoUnit.HOURS).plusHours(n);
            case MINUTELY -> start.truncatedTo(ChronoUnit.MINUTES).plusMinutes(n);
        };
    }

    /** The occurrences of one period, sorted, BYSETPOS applied, none before DTSTART. */
    List<LocalDateTime> occurrencesIn(long period) {
        LocalDateTime p = periodStart(period);
        TreeSet<LocalDateTime> set = new TreeSet<>();
        switch (frequency) {
            case YEARLY, MONTHLY, WEEKLY, DAILY -> {
                for (LocalDate day : daysOf(p.toLocalDate())) {
                    for (LocalTime time : times(hours(), minutes(), seconds())) {
                        set.add(day.atTime(time));
                    }
                }
            }
            case HOURLY -> {
                if (dayMatches(p.toLocalDate()) && (byHour.isEmpty() || byHour.contains(p.getHour()))) {
                    for (LocalTime time : times(List.of(p.getHour()), minutes(), seconds())) {
                        set.add(p.toLocalDate().atTime(time));
                    }
                }
            }
            case MINUTELY -> {
                if (dayMatches(p.toLocalDate()) && (byHour.isEmpty() || byHour.contains(p.getHour()))
                        && (byMinute.isEmpty() || byMinute.contains(p.getMinute()))) {
                    for (int second : seconds()) {
                        set.add(p.withSecond(second));
                    }
                }
            }
        }
        List<LocalDateTime> sorted = new ArrayList<>(set);
        if (!bySetPos.isEmpty()) {
            List<LocalDateTime> picked = new ArrayList<>();
            for (int pos : bySetPos) {
                int index = pos > 0 ? pos - 1 : sorted.size() + pos;
                if (index >= 0 && index < sorted.size()) {
                    picked.add(sorted.get(index));
                }
            }
            sorted = new ArrayList<>(new TreeSet<>(picked));
        }
        sorted.removeIf(o -> o.isBefore(start));
        return sorted;
    }

    /** The days of a YEARLY/MONTHLY/WEEKLY/DAILY period that the BY* parts allow. */
    private List<LocalDate> daysOf(LocalDate periodStart) {
        List<LocalDate> days = new ArrayList<>();
        switch (frequency) {
            case YEARLY -> {
                List<Integer> months = byMonth.isEmpty()
                        ? (byMonthDay.isEmpty() && byDay.isEmpty() ? List.of(start.getMonthValue()) : allMonths())
                        : byMonth;
                for (int month : months) {
                    YearMonth ym = YearMonth.of(periodStart.getYear(), month);
                    if (byMonthDay.isEmpty() && byDay.isEmpty()) {
                        if (start.getDayOfMonth() <= ym.lengthOfMonth()) {
                            days.add(ym.atDay(start.getDayOfMonth()));
                        }
                    } else {
                        days.addAll(matchingDaysOfMonth(ym));
                    }
                }
            }
            case MONTHLY -> {
                YearMonth ym = YearMonth.from(periodStart);
                if (!byMonth.isEmpty() && !byMonth.contains(ym.getMonthValue())) {
                    break;
                }
                if (byMonthDay.isEmpty() && byDay.isEmpty()) {
                    if (start.getDayOfMonth() <= ym.lengthOfMonth()) {
                        days.add(ym.atDay(start.getDayOfMonth()));
                    }
                } else {
                    days.addAll(matchingDaysOfMonth(ym));
                }
            }
            case WEEKLY -> {
                for (int i = 0; i < 7; i++) {
                    LocalDate d = periodStart.plusDays(i);
                    boolean weekday = byDay.isEmpty() ? d.getDayOfWeek() == start.getDayOfWeek() : byDay.contains(d.getDayOfWeek());
                    if (weekday && (byMonth.isEmpty() || byMonth.contains(d.getMonthValue()))) {
                        days.add(d);
                    }
                }
            }
            case DAILY -> {
                if (dayMatches(periodStart)) {
                    days.add(periodStart);
                }
            }
            default -> throw new IllegalStateException(frequency.name());
        }
        return days;
    }

    private List<LocalDate> matchingDaysOfMonth(YearMonth ym) {
        List<LocalDate> days = new ArrayList<>();
        for (int d = 1; d <= ym.lengthOfMonth(); d++) {
            LocalDate date = ym.atDay(d);
            if (monthDayMatches(date) && (byDay.isEmpty() || byDay.contains(date.getDayOfWeek()))) {
                days.add(date);
            }
        }
        return days;
    }

    /** BY* parts as limits on one day (DAILY, HOURLY, MINUTELY). */
    private boolean dayMatches(LocalDate d) {
        return (byMonth.isEmpty() || byMonth.contains(d.getMonthValue()))
                && monthDayMatches(d)
                && (byDay.isEmpty() || byDay.contains(d.getDayOfWeek()));
    }

    private boolean monthDayMatches(LocalDate d) {
        if (byMonthDay.isEmpty()) {
            return true;
        }
        int length = d.lengthOfMonth();
        for (int md : byMonthDay) {
            int day = md > 0 ? md : length + md + 1;
            if (day == d.getDayOfMonth()) {
                return true;
            }
        }
        return false;
    }

    private List<Integer> hours() {
        return byHour.isEmpty() ? List.of(start.getHour()) : byHour;
    }

    private List<Integer> minutes() {
        return byMinute.isEmpty() ? List.of(start.getMinute()) : byMinute;
    }

    private List<Integer> seconds() {
        return bySecond.isEmpty() ? List.of(start.getSecond()) : bySecond;
    }

    private static List<LocalTime> times(List<Integer> hours, List<Integer> minutes, List<Integer> seconds) {
        List<LocalTime> times = new ArrayList<>();
        for (int h : hours) {
            for (int m : minutes) {
                for (int s : seconds) {
                    times.add(LocalTime.of(h, m, s));
                }
            }
        }
        return times;
    }

    private static List<Integer> allMonths() {
        List<Integer> months = new ArrayList<>();
        for (int m = 1; m <= 12; m++) {
            months.add(m);
        }
        return months;
    }

    private static int positive(String value, String name) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be a positive number");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid '" + name + "': " + value);
        }
    }

    private static List<Integer> numbers(String csv, String name, int min, int max, boolean negativeAllowed) {
        if (csv == null) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        for (String v : csv.split(",")) {
            int n;
            try {
                n = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid '" + name + "': " + csv);
            }
            int magnitude = Math.abs(n);
            if (magnitude < min || magnitude > max || (n < 0 && !negativeAllowed) || (n == 0 && min > 0)) {
                throw new IllegalArgumentException("invalid '" + name + "': " + csv);
            }
            out.add(n);
        }
        return List.copyOf(out);
    }

    private static List<DayOfWeek> days(String csv) {
        if (csv == null) {
            return List.of();
        }
        List<DayOfWeek> out = new ArrayList<>();
        for (String v : csv.split(",")) {
            out.add(day(v.trim()));
        }
        return List.copyOf(out);
    }

    private static DayOfWeek day(String code) {
        return switch (code) {
            case "MO" -> DayOfWeek.MONDAY;
            case "TU" -> DayOfWeek.TUESDAY;
            case "WE" -> DayOfWeek.WEDNESDAY;
            case "TH" -> DayOfWeek.THURSDAY;
            case "FR" -> DayOfWeek.FRIDAY;
            case "SA" -> DayOfWeek.SATURDAY;
            case "SU" -> DayOfWeek.SUNDAY;
            default -> throw new IllegalArgumentException("invalid weekday '" + code + "'");
        };
    }
}
